using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels.Audio;

/// <summary>
/// Σ x[i]·h[i], the inner loop of the windowed-sinc resampler (one output sample per call). The
/// summation order is fixed on every width: product i goes to lane i mod 16, and the 16 lanes are
/// folded as a tree (lane j + lane j+8, then j + j+4, j + j+2, j + j+1), which is what halving a
/// Vector512, two Vector256 or four Vector128 accumulators does in registers. So every width equals
/// <see cref="OfScalarReference"/> bit for bit and a resampled signal never depends on the CPU. One body,
/// generic over the lane width (<see cref="IFloatLanes{TSelf}"/>), serves every width; the fold is the lane
/// type's <c>FoldSixteen</c> and costs three vector adds instead of a trip through memory (the resampler calls this 22 050
/// times a second per speed lane, with ≈ 32 taps, so the per-call overhead is what counts).
/// Multiply and add stay separate operations (no fused multiply-add) for the same reason.
/// </summary>
public static class DotProduct
{
    private const int Lanes = 16;

    public static float Of(ReadOnlySpan<float> x, ReadOnlySpan<float> h, VectorWidth width = VectorWidth.Auto)
    {
        if (x.Length != h.Length) throw new ArgumentException("Both spans of a dot product must have the same length.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        int n = x.Length, blocks = n / Lanes * Lanes;
        if (blocks == 0 || width == VectorWidth.Scalar) return OfScalarReference(x, h);
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float ph = ref MemoryMarshal.GetReference(h);
        // lo = lanes 0-3 + 8-11, hi = lanes 4-7 + 12-15 (the first fold)
        var (lo, hi) = width switch
        {
            VectorWidth.V512 => Blocks<Lanes512>(ref px, ref ph, (nuint)blocks),
            VectorWidth.V256 => Blocks<Lanes256>(ref px, ref ph, (nuint)blocks),
            _ => Blocks<Lanes128>(ref px, ref ph, (nuint)blocks),
        };
        if (blocks < n) return WithTail(lo, hi, ref px, ref ph, blocks, n);
        var u = lo + hi;
        return (u.GetElement(0) + u.GetElement(2)) + (u.GetElement(1) + u.GetElement(3));
    }

    /// <summary>A ragged tail (the resampler's tables are whole blocks, so only odd callers get here): it is
    /// summed in scalar lanes and added to the vector part after the first fold, in the same tree position
    /// the reference uses (see <see cref="OfScalarReference"/>). Kept out of <see cref="Of"/> so the
    /// common path stays small.</summary>
    private static float WithTail(Vector128<float> lo, Vector128<float> hi, ref float px, ref float ph, int blocks, int n)
    {
        Span<float> lanes = stackalloc float[Lanes];
        lanes.Clear();
        for (int j = blocks; j < n; j++) lanes[j % Lanes] += Unsafe.Add(ref px, j) * Unsafe.Add(ref ph, j);
        Span<float> t = stackalloc float[8];
        lo.CopyTo(t); hi.CopyTo(t[4..]);
        for (int j = 0; j < 8; j++) t[j] += lanes[j] + lanes[j + 8];
        return Fold8(t);
    }

    /// <summary>Σ x·h over whole blocks of 16 into 16 / Count accumulators of TLanes (product i in lane
    /// i mod 16 on every width; Count is a constant of each instantiation, so the JIT drops the accumulators
    /// a width does not use), folded to 8 lanes in registers.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static (Vector128<float> Lo, Vector128<float> Hi) Blocks<TLanes>(ref float px, ref float ph, nuint blocks)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        nuint w = (nuint)TLanes.Count, i = 0;
        TLanes a0 = TLanes.Create(0), a1 = a0, a2 = a0, a3 = a0;
        do
        {
            a0 += TLanes.Load(ref px, i) * TLanes.Load(ref ph, i);
            if (w <= 8) a1 += TLanes.Load(ref px, i + w) * TLanes.Load(ref ph, i + w);
            if (w <= 4)
            {
                a2 += TLanes.Load(ref px, i + 2 * w) * TLanes.Load(ref ph, i + 2 * w);
                a3 += TLanes.Load(ref px, i + 3 * w) * TLanes.Load(ref ph, i + 3 * w);
            }
            i += Lanes;
        }
        while (i < blocks);
        return TLanes.FoldSixteen(a0, a1, a2, a3);
    }

    /// <summary>The lane-ordered, tree-folded sum every path is tested against: whole blocks of 16 and
    /// the ragged tail go to separate lanes, are folded once each and then added (what the vector paths do).</summary>
    public static float OfScalarReference(ReadOnlySpan<float> x, ReadOnlySpan<float> h)
    {
        if (x.Length != h.Length) throw new ArgumentException("Both spans of a dot product must have the same length.");
        int n = x.Length, blocks = n / Lanes * Lanes;
        Span<float> lanes = stackalloc float[Lanes];
        Span<float> tail = stackalloc float[Lanes];
        lanes.Clear();
        tail.Clear();
        for (int i = 0; i < blocks; i++) lanes[i % Lanes] += x[i] * h[i];
        for (int i = blocks; i < n; i++) tail[i % Lanes] += x[i] * h[i];
        Span<float> t = stackalloc float[8];
        for (int j = 0; j < 8; j++) t[j] = lanes[j] + lanes[j + 8];
        if (blocks == n) return Fold8(t);
        for (int j = 0; j < 8; j++) t[j] += tail[j] + tail[j + 8];
        return Fold8(t);
    }

    /// <summary>t[j] + t[j+4], then j + j+2, then the last two.</summary>
    private static float Fold8(ReadOnlySpan<float> t)
    {
        float u0 = t[0] + t[4], u1 = t[1] + t[5], u2 = t[2] + t[6], u3 = t[3] + t[7];
        return (u0 + u2) + (u1 + u3);
    }
}
