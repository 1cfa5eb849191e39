using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels.Audio;

/// <summary>
/// Σ x[i]·h[i], the inner loop of the windowed-sinc resampler (one output sample per call). The
/// summation order is fixed on every width, as in <see cref="MagnitudeSum"/>: product i goes to lane
/// i mod 16 and the 16 lanes are added in order at the end, so every width equals
/// <see cref="OfScalarReference"/> bit for bit and a resampled signal never depends on the CPU.
/// Multiply and add stay separate operations (no fused multiply-add) for the same reason.
/// </summary>
public static class DotProduct
{
    private const int Lanes = 16;

    public static float Of(ReadOnlySpan<float> x, ReadOnlySpan<float> h, VectorWidth width = VectorWidth.Auto)
    {
        if (x.Length != h.Length) throw new ArgumentException("Both spans of a dot product must have the same length.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        Span<float> lanes = stackalloc float[Lanes];
        lanes.Clear();
        int blocks = x.Length / Lanes * Lanes, i = 0;
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float ph = ref MemoryMarshal.GetReference(h);
        if (width == VectorWidth.V512)
        {
            var a = Vector512<float>.Zero;
            for (; i < blocks; i += Lanes)
                a += Vector512.LoadUnsafe(ref px, (nuint)i) * Vector512.LoadUnsafe(ref ph, (nuint)i);
            a.CopyTo(lanes);
        }
        else if (width == VectorWidth.V256)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = Vector256<float>.Zero;
            for (; i < blocks; i += Lanes)
            {
                a0 += Vector256.LoadUnsafe(ref px, (nuint)i) * Vector256.LoadUnsafe(ref ph, (nuint)i);
                a1 += Vector256.LoadUnsafe(ref px, (nuint)(i + 8)) * Vector256.LoadUnsafe(ref ph, (nuint)(i + 8));
            }
            a0.CopyTo(lanes); a1.CopyTo(lanes[8..]);
        }
        else if (width == VectorWidth.V128)
        {
            Vector128<float> a0 = Vector128<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i < blocks; i += Lanes)
            {
                a0 += Vector128.LoadUnsafe(ref px, (nuint)i) * Vector128.LoadUnsafe(ref ph, (nuint)i);
                a1 += Vector128.LoadUnsafe(ref px, (nuint)(i + 4)) * Vector128.LoadUnsafe(ref ph, (nuint)(i + 4));
                a2 += Vector128.LoadUnsafe(ref px, (nuint)(i + 8)) * Vector128.LoadUnsafe(ref ph, (nuint)(i + 8));
                a3 += Vector128.LoadUnsafe(ref px, (nuint)(i + 12)) * Vector128.LoadUnsafe(ref ph, (nuint)(i + 12));
            }
            a0.CopyTo(lanes); a1.CopyTo(lanes[4..]); a2.CopyTo(lanes[8..]); a3.CopyTo(lanes[12..]);
        }
        for (; i < x.Length; i++) lanes[i % Lanes] += Unsafe.Add(ref px, i) * Unsafe.Add(ref ph, i);
        return Total(lanes);
    }

    /// <summary>The lane-ordered sum every path is tested against.</summary>
    public static float OfScalarReference(ReadOnlySpan<float> x, ReadOnlySpan<float> h)
    {
        if (x.Length != h.Length) throw new ArgumentException("Both spans of a dot product must have the same length.");
        Span<float> lanes = stackalloc float[Lanes];
        lanes.Clear();
        for (int i = 0; i < x.Length; i++) lanes[i % Lanes] += x[i] * h[i];
        return Total(lanes);
    }

    private static float Total(ReadOnlySpan<float> lanes)
    {
        float s = 0;
        for (int k = 0; k < Lanes; k++) s += lanes[k];
        return s;
    }
}
