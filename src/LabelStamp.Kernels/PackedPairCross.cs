using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>
/// The cross power A · conj(B) of two real N × N planes a and b from one complex transform Z of z = a + i·b, up to the
/// real factor 4 (whitening removes it): with P = Z[k] and M = Z[−k], A · conj(B) = (2 Im(P·M) + i (|P|² − |M|²)) / 4, so
/// out = 2 (Pr·Mi + Pi·Mr) + i ((Pr² + Pi²) − (Mr² + Mi²)). The motion tracker's patch correlation: this frame's patch and
/// the previous frame's in one forward transform. Bin −k of row ky is row (N − ky) mod N, column (N − kx) mod N; columns
/// 1…N − 1 pair with a run read backwards, so a vector loads the mirrored run and reverses it
/// (<see cref="IFloatLanes{TSelf}.Reverse"/>), and column 0 runs on one lane. The scalar loop's multiplies and adds in
/// its order (no fused multiply-add): every width equals <see cref="ApplyScalarReference"/> to the bit.
/// </summary>
public static class PackedPairCross
{
    /// <param name="zRe">Real part of Z, N² values row-major (read only).</param>
    /// <param name="zIm">Its imaginary part.</param>
    /// <param name="outRe">The cross power's real part; must not overlap Z (mirrored bins are read after earlier ones are written).</param>
    /// <param name="outIm">Its imaginary part.</param>
    /// <param name="n">N, a power of two ≥ 2.</param>
    /// <param name="width">Vector width (every width gives the same bits).</param>
    public static void Apply(ReadOnlySpan<float> zRe, ReadOnlySpan<float> zIm, Span<float> outRe, Span<float> outIm, int n,
        VectorWidth width = VectorWidth.Auto)
    {
        Check(zRe, zIm, outRe, outIm, n);
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref float zr = ref MemoryMarshal.GetReference(zRe);
        ref float zi = ref MemoryMarshal.GetReference(zIm);
        ref float or = ref MemoryMarshal.GetReference(outRe);
        ref float oi = ref MemoryMarshal.GetReference(outIm);
        for (int ky = 0; ky < n; ky++)
        {
            int row = ky * n, mirrorRow = ((n - ky) & (n - 1)) * n;
            Bins<Lanes1>(ref zr, ref zi, ref or, ref oi, row, mirrorRow);
            int kx = 1;
            if (width == VectorWidth.V512) kx = Run<Lanes512>(ref zr, ref zi, ref or, ref oi, row, mirrorRow, kx, n);
            if (width >= VectorWidth.V256) kx = Run<Lanes256>(ref zr, ref zi, ref or, ref oi, row, mirrorRow, kx, n);
            if (width >= VectorWidth.V128) kx = Run<Lanes128>(ref zr, ref zi, ref or, ref oi, row, mirrorRow, kx, n);
            Run<Lanes1>(ref zr, ref zi, ref or, ref oi, row, mirrorRow, kx, n);
        }
    }

    /// <summary>The bin-by-bin loop <see cref="Apply"/> is tested against.</summary>
    public static void ApplyScalarReference(ReadOnlySpan<float> zRe, ReadOnlySpan<float> zIm, Span<float> outRe, Span<float> outIm, int n)
    {
        Check(zRe, zIm, outRe, outIm, n);
        for (int y = 0; y < n; y++)
        {
            int my = ((n - y) & (n - 1)) * n, row = y * n;
            for (int x = 0; x < n; x++)
            {
                int k = row + x, m = my + ((n - x) & (n - 1));
                float pr = zRe[k], pi = zIm[k], mr = zRe[m], mi = zIm[m];
                outRe[k] = 2 * (pr * mi + pi * mr);
                outIm[k] = pr * pr + pi * pi - (mr * mr + mi * mi);
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int Run<TLanes>(ref float zr, ref float zi, ref float or, ref float oi, int row, int mirrorRow, int kx, int n)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        for (int last = n - TLanes.Count; kx <= last; kx += TLanes.Count)
            // Columns kx … kx + Count − 1 pair with N − kx … N − kx − Count + 1: the run from N − kx − Count + 1, reversed.
            Bins<TLanes>(ref zr, ref zi, ref or, ref oi, row + kx, mirrorRow + n - kx - TLanes.Count + 1);
        return kx;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Bins<TLanes>(ref float zr, ref float zi, ref float or, ref float oi, int at, int mirrorAt)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        var i = (nuint)at;
        var j = (nuint)mirrorAt;
        TLanes pr = TLanes.Load(ref zr, i), pi = TLanes.Load(ref zi, i);
        TLanes mr = TLanes.Reverse(TLanes.Load(ref zr, j)), mi = TLanes.Reverse(TLanes.Load(ref zi, j));
        TLanes.Store(TLanes.Create(2) * (pr * mi + pi * mr), ref or, i);
        TLanes.Store(pr * pr + pi * pi - (mr * mr + mi * mi), ref oi, i);
    }

    private static void Check(ReadOnlySpan<float> zRe, ReadOnlySpan<float> zIm, Span<float> outRe, Span<float> outIm, int n)
    {
        if (n < 2 || (n & (n - 1)) != 0) throw new ArgumentException("N must be a power of two ≥ 2.", nameof(n));
        int nn = n * n;
        if (zRe.Length < nn || zIm.Length < nn || outRe.Length < nn || outIm.Length < nn)
            throw new ArgumentException($"Every plane must hold N² = {nn} values.");
        ReadOnlySpan<float> oRe = outRe[..nn], oIm = outIm[..nn];
        if (oRe.Overlaps(zRe[..nn]) || oRe.Overlaps(zIm[..nn]) || oIm.Overlaps(zRe[..nn]) || oIm.Overlaps(zIm[..nn]))
            throw new ArgumentException("The output must not overlap the packed spectrum (mirrored bins are read after earlier bins are written).");
    }
}
