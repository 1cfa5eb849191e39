using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>
/// Two cross-correlations by one forward and one inverse complex transform. Two real N × N planes a and b go
/// into one forward transform as z = a + i·b; this kernel splits the spectrum Z into A[k] = (Z[k] + conj Z[−k]) / 2
/// and B[k] = (Z[k] − conj Z[−k]) / 2i, multiplies each by the conjugate of its own reference spectrum
/// (C = A · conj R, V = B · conj Q), and packs the two products into C + i·V, whose inverse transform is c in
/// the real part and v in the imaginary (both are real). One pass over the planes where the split, the two
/// <see cref="CrossPower"/> passes and the packing were four, three of them scalar.
/// <para>
/// Bin −k of row ky is row (N − ky) mod N, column (N − kx) mod N: for columns 1…N − 1 that is a run read
/// backwards, so a vector of lanes loads the mirrored run and reverses it (<see cref="IFloatLanes{TSelf}.Reverse"/>);
/// column 0 pairs with column 0 and runs on one lane. The multiplies and adds are those of
/// <see cref="ApplyScalarReference"/> in the same order (no fused multiply-add), so every width equals it to the bit.
/// </para>
/// </summary>
public static class PackedCrossPowers
{
    /// <param name="zRe">Real part of the packed spectrum, N² values row-major (read only).</param>
    /// <param name="zIm">Its imaginary part.</param>
    /// <param name="rRe">The reference spectrum of the real input a (real part).</param>
    /// <param name="rIm">Its imaginary part.</param>
    /// <param name="qRe">The reference spectrum of the imaginary input b (real part).</param>
    /// <param name="qIm">Its imaginary part.</param>
    /// <param name="outRe">C + i·V, real part; must not overlap the packed spectrum, whose mirrored bins are read after earlier ones are written.</param>
    /// <param name="outIm">Its imaginary part.</param>
    /// <param name="n">N, a power of two ≥ 2.</param>
    /// <param name="width">Vector width (every width gives the same bits).</param>
    // Compiled on its own: inlined into the sync statistic's callers (the detector's filtered fold, with profile-guided
    // inlining), the column-0 bins' scalar lane operators were left as calls once the caller's inlining budget ran out
    // (inline-audit on an AVX-512 machine).
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Apply(ReadOnlySpan<float> zRe, ReadOnlySpan<float> zIm, ReadOnlySpan<float> rRe, ReadOnlySpan<float> rIm,
        ReadOnlySpan<float> qRe, ReadOnlySpan<float> qIm, Span<float> outRe, Span<float> outIm, int n, VectorWidth width = VectorWidth.Auto)
    {
        Check(zRe, zIm, rRe, rIm, qRe, qIm, outRe, outIm, n);
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref float zr = ref MemoryMarshal.GetReference(zRe);
        ref float zi = ref MemoryMarshal.GetReference(zIm);
        ref float rr = ref MemoryMarshal.GetReference(rRe);
        ref float ri = ref MemoryMarshal.GetReference(rIm);
        ref float qr = ref MemoryMarshal.GetReference(qRe);
        ref float qi = ref MemoryMarshal.GetReference(qIm);
        ref float or = ref MemoryMarshal.GetReference(outRe);
        ref float oi = ref MemoryMarshal.GetReference(outIm);
        for (int ky = 0; ky < n; ky++)
        {
            int row = ky * n, mirrorRow = ((n - ky) & (n - 1)) * n;
            // Column 0 pairs with column 0 of the mirrored row: not part of the reversed run.
            Bins<Lanes1>(ref zr, ref zi, ref rr, ref ri, ref qr, ref qi, ref or, ref oi, row, mirrorRow);
            int kx = 1;
            if (width == VectorWidth.V512) kx = Run<Lanes512>(ref zr, ref zi, ref rr, ref ri, ref qr, ref qi, ref or, ref oi, row, mirrorRow, kx, n);
            if (width >= VectorWidth.V256) kx = Run<Lanes256>(ref zr, ref zi, ref rr, ref ri, ref qr, ref qi, ref or, ref oi, row, mirrorRow, kx, n);
            if (width >= VectorWidth.V128) kx = Run<Lanes128>(ref zr, ref zi, ref rr, ref ri, ref qr, ref qi, ref or, ref oi, row, mirrorRow, kx, n);
            Run<Lanes1>(ref zr, ref zi, ref rr, ref ri, ref qr, ref qi, ref or, ref oi, row, mirrorRow, kx, n);
        }
    }

    /// <summary>Whole vectors of TLanes over columns kx… of one row (each paired with column N − kx of the mirrored
    /// row); returns the first column not done.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int Run<TLanes>(ref float zr, ref float zi, ref float rr, ref float ri, ref float qr, ref float qi,
        ref float or, ref float oi, int row, int mirrorRow, int kx, int n)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        for (int last = n - TLanes.Count; kx <= last; kx += TLanes.Count)
            // Columns kx … kx + Count − 1 pair with N − kx … N − kx − Count + 1: the run starting at N − kx − Count + 1, reversed.
            Bins<TLanes>(ref zr, ref zi, ref rr, ref ri, ref qr, ref qi, ref or, ref oi, row + kx, mirrorRow + n - kx - TLanes.Count + 1);
        return kx;
    }

    /// <summary>One vector of bins at <paramref name="at"/> with their mirrored bins loaded from <paramref name="mirrorAt"/>
    /// (reversed): the split, both cross powers and the packing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Bins<TLanes>(ref float zr, ref float zi, ref float rr, ref float ri, ref float qr, ref float qi,
        ref float or, ref float oi, int at, int mirrorAt)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        var i = (nuint)at;
        var j = (nuint)mirrorAt;
        TLanes xr = TLanes.Load(ref zr, i), xi = TLanes.Load(ref zi, i);
        TLanes yr = TLanes.Reverse(TLanes.Load(ref zr, j)), yi = TLanes.Reverse(TLanes.Load(ref zi, j));
        TLanes half = TLanes.Create(0.5f), minusHalf = TLanes.Create(-0.5f);
        TLanes fr = half * (xr + yr), fi = half * (xi - yi);
        TLanes gr = half * (xi + yi), gi = minusHalf * (xr - yr);
        TLanes sr = TLanes.Load(ref rr, i), si = TLanes.Load(ref ri, i);
        TLanes kr = TLanes.Load(ref qr, i), ki = TLanes.Load(ref qi, i);
        TLanes cr = fr * sr + fi * si, ci = fi * sr - fr * si;
        TLanes vr = gr * kr + gi * ki, vi = gi * kr - gr * ki;
        TLanes.Store(cr - vi, ref or, i);
        TLanes.Store(ci + vr, ref oi, i);
    }

    /// <summary>The loops <see cref="Apply"/> is tested against, bit for bit: the split into four planes, the two
    /// cross powers (<see cref="CrossPower.ApplyScalarReference"/>) and the packing, one after the other.</summary>
    public static void ApplyScalarReference(ReadOnlySpan<float> zRe, ReadOnlySpan<float> zIm, ReadOnlySpan<float> rRe, ReadOnlySpan<float> rIm,
        ReadOnlySpan<float> qRe, ReadOnlySpan<float> qIm, Span<float> outRe, Span<float> outIm, int n)
    {
        Check(zRe, zIm, rRe, rIm, qRe, qIm, outRe, outIm, n);
        int nn = n * n;
        float[] cRe = new float[nn], cIm = new float[nn], vRe = new float[nn], vIm = new float[nn];
        for (int ky = 0; ky < n; ky++)
        {
            int my = (n - ky) & (n - 1);
            for (int kx = 0; kx < n; kx++)
            {
                int i = ky * n + kx, j = my * n + ((n - kx) & (n - 1));
                cRe[i] = 0.5f * (zRe[i] + zRe[j]); cIm[i] = 0.5f * (zIm[i] - zIm[j]);
                vRe[i] = 0.5f * (zIm[i] + zIm[j]); vIm[i] = -0.5f * (zRe[i] - zRe[j]);
            }
        }
        CrossPower.ApplyScalarReference(cRe, cIm, rRe[..nn], rIm[..nn], cRe, cIm);
        CrossPower.ApplyScalarReference(vRe, vIm, qRe[..nn], qIm[..nn], vRe, vIm);
        for (int i = 0; i < nn; i++) { outRe[i] = cRe[i] - vIm[i]; outIm[i] = cIm[i] + vRe[i]; }
    }

    private static void Check(ReadOnlySpan<float> zRe, ReadOnlySpan<float> zIm, ReadOnlySpan<float> rRe, ReadOnlySpan<float> rIm,
        ReadOnlySpan<float> qRe, ReadOnlySpan<float> qIm, Span<float> outRe, Span<float> outIm, int n)
    {
        if (n < 2 || (n & (n - 1)) != 0) throw new ArgumentException("N must be a power of two ≥ 2.", nameof(n));
        int nn = n * n;
        if (zRe.Length < nn || zIm.Length < nn || rRe.Length < nn || rIm.Length < nn || qRe.Length < nn || qIm.Length < nn
            || outRe.Length < nn || outIm.Length < nn)
            throw new ArgumentException($"Every plane must hold N² = {nn} values.");
        ReadOnlySpan<float> oRe = outRe[..nn], oIm = outIm[..nn];
        if (oRe.Overlaps(zRe[..nn]) || oRe.Overlaps(zIm[..nn]) || oIm.Overlaps(zRe[..nn]) || oIm.Overlaps(zIm[..nn]))
            throw new ArgumentException("The output must not overlap the packed spectrum (mirrored bins are read after earlier bins are written).");
    }
}
