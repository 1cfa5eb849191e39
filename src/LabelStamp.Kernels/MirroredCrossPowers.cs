using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>
/// <see cref="PackedCrossPowers"/> for a plane and its mirror image from one forward transform. With z = a + i·b
/// transformed to Z, the plane a mirrored left to right (x → −x mod N) has the spectrum A(ky, −kx), and so does b:
/// the mirrored pair's split reads Z at (ky, −kx) and (−ky, kx) where the plane's own reads (ky, kx) and (−ky, −kx).
/// One pass over Z writes both packed products, C + i·V for the plane as it is and C' + i·V' for the mirror image,
/// each against its own pair of reference spectra, so two inverse transforms give both pairs of correlations where
/// the mirror image needed a forward transform of its own too.
/// <para>
/// Row ky pairs with row (N − ky) mod N. For columns 1…N − 1 the plane's partner bins are a run of the partner row
/// read backwards and the mirror's own bins a run of the same row read backwards, so a vector loads those runs and
/// reverses them (<see cref="IFloatLanes{TSelf}.Reverse"/>); column 0 is its own mirror and runs on one lane. The
/// plane's product is <see cref="PackedCrossPowers"/>' to the bit (the same multiplies and adds in the same order),
/// and every width equals <see cref="ApplyScalarReference"/> to the bit (no fused multiply-add).
/// </para>
/// </summary>
public static class MirroredCrossPowers
{
    /// <param name="zRe">Real part of the packed spectrum Z of a + i·b, N² values row-major (read only).</param>
    /// <param name="zIm">Its imaginary part.</param>
    /// <param name="rRe">Reference spectrum of a (real part), for both orientations.</param>
    /// <param name="rIm">Its imaginary part.</param>
    /// <param name="qRe">Reference spectrum of b as it is (real part).</param>
    /// <param name="qIm">Its imaginary part.</param>
    /// <param name="mqRe">Reference spectrum of b mirrored (real part): a b whose mirror image is not its own mirrored
    /// plane but a shift of it (a box sum's starts move with the mirror) takes the shift here.</param>
    /// <param name="mqIm">Its imaginary part.</param>
    /// <param name="outRe">C + i·V (the plane as it is), real part; none of the four outputs may overlap Z.</param>
    /// <param name="outIm">Its imaginary part.</param>
    /// <param name="mirroredRe">C' + i·V' (the mirror image), real part.</param>
    /// <param name="mirroredIm">Its imaginary part.</param>
    /// <param name="n">N, a power of two ≥ 2.</param>
    /// <param name="width">Vector width (every width gives the same bits).</param>
    // Compiled on its own: inlined into the sync statistic's callers (the detector's filtered fold, with profile-guided
    // inlining), the column-0 bins' scalar lane operators were left as calls once the caller's inlining budget ran out
    // (inline-audit on an AVX-512 machine).
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Apply(ReadOnlySpan<float> zRe, ReadOnlySpan<float> zIm, ReadOnlySpan<float> rRe, ReadOnlySpan<float> rIm,
        ReadOnlySpan<float> qRe, ReadOnlySpan<float> qIm, ReadOnlySpan<float> mqRe, ReadOnlySpan<float> mqIm,
        Span<float> outRe, Span<float> outIm, Span<float> mirroredRe, Span<float> mirroredIm, int n, VectorWidth width = VectorWidth.Auto)
    {
        Check(zRe, zIm, rRe, rIm, qRe, qIm, mqRe, mqIm, outRe, outIm, mirroredRe, mirroredIm, n);
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        var p = new Planes(zRe, zIm, rRe, rIm, qRe, qIm, mqRe, mqIm, outRe, outIm, mirroredRe, mirroredIm);
        for (int ky = 0; ky < n; ky++)
        {
            int row = ky * n, partnerRow = ((n - ky) & (n - 1)) * n;
            // Column 0 is its own mirror: both orientations read (ky, 0) and (−ky, 0).
            Bins<Lanes1>(ref p, row, partnerRow, row, partnerRow, row);
            int kx = 1;
            if (width == VectorWidth.V512) kx = Run<Lanes512>(ref p, row, partnerRow, kx, n);
            if (width >= VectorWidth.V256) kx = Run<Lanes256>(ref p, row, partnerRow, kx, n);
            if (width >= VectorWidth.V128) kx = Run<Lanes128>(ref p, row, partnerRow, kx, n);
            Run<Lanes1>(ref p, row, partnerRow, kx, n);
        }
    }

    /// <summary>The twelve planes' first elements, passed by reference to the per-vector body.</summary>
    private ref struct Planes
    {
        public ref float Zr, Zi, Rr, Ri, Qr, Qi, Mqr, Mqi, Or, Oi, Mr, Mi;

        public Planes(ReadOnlySpan<float> zRe, ReadOnlySpan<float> zIm, ReadOnlySpan<float> rRe, ReadOnlySpan<float> rIm,
            ReadOnlySpan<float> qRe, ReadOnlySpan<float> qIm, ReadOnlySpan<float> mqRe, ReadOnlySpan<float> mqIm,
            Span<float> outRe, Span<float> outIm, Span<float> mirroredRe, Span<float> mirroredIm)
        {
            Zr = ref MemoryMarshal.GetReference(zRe);
            Zi = ref MemoryMarshal.GetReference(zIm);
            Rr = ref MemoryMarshal.GetReference(rRe);
            Ri = ref MemoryMarshal.GetReference(rIm);
            Qr = ref MemoryMarshal.GetReference(qRe);
            Qi = ref MemoryMarshal.GetReference(qIm);
            Mqr = ref MemoryMarshal.GetReference(mqRe);
            Mqi = ref MemoryMarshal.GetReference(mqIm);
            Or = ref MemoryMarshal.GetReference(outRe);
            Oi = ref MemoryMarshal.GetReference(outIm);
            Mr = ref MemoryMarshal.GetReference(mirroredRe);
            Mi = ref MemoryMarshal.GetReference(mirroredIm);
        }
    }

    /// <summary>Whole vectors of TLanes over columns kx… of one row; returns the first column not done.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int Run<TLanes>(ref Planes p, int row, int partnerRow, int kx, int n)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        for (int last = n - TLanes.Count; kx <= last; kx += TLanes.Count)
        {
            // Columns kx … kx + Count − 1 pair with N − kx … N − kx − Count + 1: the run starting at N − kx − Count + 1, reversed.
            int back = n - kx - TLanes.Count + 1;
            Bins<TLanes>(ref p, row + kx, partnerRow + back, row + back, partnerRow + kx, row + kx);
        }
        return kx;
    }

    /// <summary>One vector of bins written at <paramref name="at"/>: the plane's split from Z at <paramref name="own"/>
    /// (forward) and <paramref name="partner"/> (reversed), the mirror's from <paramref name="mirrorOwn"/> (reversed)
    /// and <paramref name="mirrorPartner"/> (forward); each split, its two cross powers and the packing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Bins<TLanes>(ref Planes p, int own, int partner, int mirrorOwn, int mirrorPartner, int at)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        var i = (nuint)at;
        TLanes sr = TLanes.Load(ref p.Rr, i), si = TLanes.Load(ref p.Ri, i);
        TLanes xr = TLanes.Load(ref p.Zr, (nuint)own), xi = TLanes.Load(ref p.Zi, (nuint)own);
        TLanes yr = TLanes.Reverse(TLanes.Load(ref p.Zr, (nuint)partner)), yi = TLanes.Reverse(TLanes.Load(ref p.Zi, (nuint)partner));
        Pack(xr, xi, yr, yi, sr, si, TLanes.Load(ref p.Qr, i), TLanes.Load(ref p.Qi, i), ref p.Or, ref p.Oi, i);
        TLanes ur = TLanes.Reverse(TLanes.Load(ref p.Zr, (nuint)mirrorOwn)), ui = TLanes.Reverse(TLanes.Load(ref p.Zi, (nuint)mirrorOwn));
        TLanes wr = TLanes.Load(ref p.Zr, (nuint)mirrorPartner), wi = TLanes.Load(ref p.Zi, (nuint)mirrorPartner);
        Pack(ur, ui, wr, wi, sr, si, TLanes.Load(ref p.Mqr, i), TLanes.Load(ref p.Mqi, i), ref p.Mr, ref p.Mi, i);
    }

    /// <summary>F = (x + conj y) / 2, G = (x − conj y) / 2i, C = F · conj s, V = G · conj k, stored as C + i·V:
    /// <see cref="PackedCrossPowers"/>' operations in its order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pack<TLanes>(TLanes xr, TLanes xi, TLanes yr, TLanes yi, TLanes sr, TLanes si, TLanes kr, TLanes ki,
        ref float or, ref float oi, nuint i)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        TLanes half = TLanes.Create(0.5f), minusHalf = TLanes.Create(-0.5f);
        TLanes fr = half * (xr + yr), fi = half * (xi - yi);
        TLanes gr = half * (xi + yi), gi = minusHalf * (xr - yr);
        TLanes cr = fr * sr + fi * si, ci = fi * sr - fr * si;
        TLanes vr = gr * kr + gi * ki, vi = gi * kr - gr * ki;
        TLanes.Store(cr - vi, ref or, i);
        TLanes.Store(ci + vr, ref oi, i);
    }

    /// <summary>The loops <see cref="Apply"/> is tested against, bit for bit: for each bin the two orientations' reads of Z,
    /// then the split, cross powers and packing of each, written out.</summary>
    public static void ApplyScalarReference(ReadOnlySpan<float> zRe, ReadOnlySpan<float> zIm, ReadOnlySpan<float> rRe, ReadOnlySpan<float> rIm,
        ReadOnlySpan<float> qRe, ReadOnlySpan<float> qIm, ReadOnlySpan<float> mqRe, ReadOnlySpan<float> mqIm,
        Span<float> outRe, Span<float> outIm, Span<float> mirroredRe, Span<float> mirroredIm, int n)
    {
        Check(zRe, zIm, rRe, rIm, qRe, qIm, mqRe, mqIm, outRe, outIm, mirroredRe, mirroredIm, n);
        for (int ky = 0; ky < n; ky++)
            for (int kx = 0; kx < n; kx++)
            {
                int i = ky * n + kx, myRow = ((n - ky) & (n - 1)) * n, mx = (n - kx) & (n - 1);
                int partner = myRow + mx, mirrorOwn = ky * n + mx, mirrorPartner = myRow + kx;
                (outRe[i], outIm[i]) = PackScalar(zRe[i], zIm[i], zRe[partner], zIm[partner], rRe[i], rIm[i], qRe[i], qIm[i]);
                (mirroredRe[i], mirroredIm[i]) = PackScalar(zRe[mirrorOwn], zIm[mirrorOwn], zRe[mirrorPartner], zIm[mirrorPartner],
                    rRe[i], rIm[i], mqRe[i], mqIm[i]);
            }
    }

    private static (float Re, float Im) PackScalar(float xr, float xi, float yr, float yi, float sr, float si, float kr, float ki)
    {
        float fr = 0.5f * (xr + yr), fi = 0.5f * (xi - yi);
        float gr = 0.5f * (xi + yi), gi = -0.5f * (xr - yr);
        float cr = fr * sr + fi * si, ci = fi * sr - fr * si;
        float vr = gr * kr + gi * ki, vi = gi * kr - gr * ki;
        return (cr - vi, ci + vr);
    }

    private static void Check(ReadOnlySpan<float> zRe, ReadOnlySpan<float> zIm, ReadOnlySpan<float> rRe, ReadOnlySpan<float> rIm,
        ReadOnlySpan<float> qRe, ReadOnlySpan<float> qIm, ReadOnlySpan<float> mqRe, ReadOnlySpan<float> mqIm,
        Span<float> outRe, Span<float> outIm, Span<float> mirroredRe, Span<float> mirroredIm, int n)
    {
        if (n < 2 || (n & (n - 1)) != 0) throw new ArgumentException("N must be a power of two ≥ 2.", nameof(n));
        int nn = n * n;
        if (zRe.Length < nn || zIm.Length < nn || rRe.Length < nn || rIm.Length < nn || qRe.Length < nn || qIm.Length < nn
            || mqRe.Length < nn || mqIm.Length < nn || outRe.Length < nn || outIm.Length < nn || mirroredRe.Length < nn || mirroredIm.Length < nn)
            throw new ArgumentException($"Every plane must hold N² = {nn} values.");
        ReadOnlySpan<float> a = outRe[..nn], b = outIm[..nn], c = mirroredRe[..nn], d = mirroredIm[..nn], zr = zRe[..nn], zi = zIm[..nn];
        // Bins of Z are read after earlier bins are written, so no output may lie over it; nor over another output.
        if (a.Overlaps(zr) || a.Overlaps(zi) || b.Overlaps(zr) || b.Overlaps(zi) || c.Overlaps(zr) || c.Overlaps(zi) || d.Overlaps(zr) || d.Overlaps(zi))
            throw new ArgumentException("No output may overlap the packed spectrum (bins are read after earlier bins are written).");
        if (a.Overlaps(b) || a.Overlaps(c) || a.Overlaps(d) || b.Overlaps(c) || b.Overlaps(d) || c.Overlaps(d))
            throw new ArgumentException("The four outputs must not overlap one another.");
    }
}
