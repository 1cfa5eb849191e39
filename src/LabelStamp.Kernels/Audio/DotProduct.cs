using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels.Audio;

/// <summary>
/// Σ x[i]·h[i], the inner loop of the windowed-sinc resampler (one output sample per call). The
/// summation order is fixed on every width: product i goes to lane i mod 16, and the 16 lanes are
/// folded as a tree (lane j + lane j+8, then j + j+4, j + j+2, j + j+1), which is what halving a
/// Vector512, two Vector256 or four Vector128 accumulators does in registers. So every width equals
/// <see cref="OfScalarReference"/> bit for bit and a resampled signal never depends on the CPU; the
/// fold costs three vector adds instead of a trip through memory (the resampler calls this 22 050
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
        int n = x.Length, blocks = n / Lanes * Lanes, i = 0;
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float ph = ref MemoryMarshal.GetReference(h);
        Vector128<float> lo, hi; // lanes 0–3 + 8–11 and 4–7 + 12–15 (the first fold)
        if (width == VectorWidth.V512 && blocks > 0)
        {
            var a = Vector512<float>.Zero;
            for (; i < blocks; i += Lanes)
                a += Vector512.LoadUnsafe(ref px, (nuint)i) * Vector512.LoadUnsafe(ref ph, (nuint)i);
            var t = a.GetLower() + a.GetUpper();
            lo = t.GetLower(); hi = t.GetUpper();
        }
        else if (width == VectorWidth.V256 && blocks > 0)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = Vector256<float>.Zero;
            for (; i < blocks; i += Lanes)
            {
                a0 += Vector256.LoadUnsafe(ref px, (nuint)i) * Vector256.LoadUnsafe(ref ph, (nuint)i);
                a1 += Vector256.LoadUnsafe(ref px, (nuint)(i + 8)) * Vector256.LoadUnsafe(ref ph, (nuint)(i + 8));
            }
            var t = a0 + a1;
            lo = t.GetLower(); hi = t.GetUpper();
        }
        else if (width == VectorWidth.V128 && blocks > 0)
        {
            Vector128<float> a0 = Vector128<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i < blocks; i += Lanes)
            {
                a0 += Vector128.LoadUnsafe(ref px, (nuint)i) * Vector128.LoadUnsafe(ref ph, (nuint)i);
                a1 += Vector128.LoadUnsafe(ref px, (nuint)(i + 4)) * Vector128.LoadUnsafe(ref ph, (nuint)(i + 4));
                a2 += Vector128.LoadUnsafe(ref px, (nuint)(i + 8)) * Vector128.LoadUnsafe(ref ph, (nuint)(i + 8));
                a3 += Vector128.LoadUnsafe(ref px, (nuint)(i + 12)) * Vector128.LoadUnsafe(ref ph, (nuint)(i + 12));
            }
            lo = a0 + a2; hi = a1 + a3;
        }
        else
        {
            return OfScalarReference(x, h);
        }
        if (i < n)
        {
            // A ragged tail (the resampler's tables are whole blocks, so only odd callers get here):
            // finish in the scalar lanes, with the vector part unfolded back into them first.
            Span<float> lanes = stackalloc float[Lanes];
            lanes.Clear();
            for (int j = i; j < n; j++) lanes[j % Lanes] += Unsafe.Add(ref px, j) * Unsafe.Add(ref ph, j);
            // The vector lanes hold products of whole blocks only; the tail's lanes are added to them
            // after the first fold, in the same tree position the reference uses (see Fold).
            Span<float> t = stackalloc float[8];
            lo.CopyTo(t); hi.CopyTo(t[4..]);
            for (int j = 0; j < 8; j++) t[j] += lanes[j] + lanes[j + 8];
            return Fold8(t);
        }
        var u = lo + hi;
        return (u.GetElement(0) + u.GetElement(2)) + (u.GetElement(1) + u.GetElement(3));
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
