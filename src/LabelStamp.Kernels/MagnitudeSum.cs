using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>
/// Σ |x[i]| with a fixed summation order on every width: sample i goes to lane i mod 16, the 16 lane
/// sums are added in lane order at the end. One Vector512, two Vector256 or four Vector128
/// accumulators hold exactly those 16 lanes, so every width equals <see cref="OfScalarReference"/>
/// bit for bit.
/// </summary>
public static class MagnitudeSum
{
    private const int Lanes = 16;

    public static float Of(ReadOnlySpan<float> x, VectorWidth width = VectorWidth.Auto)
    {
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        Span<float> lanes = stackalloc float[Lanes];
        lanes.Clear();
        int blocks = x.Length / Lanes * Lanes, i = 0;
        ref float p = ref MemoryMarshal.GetReference(x);
        if (width == VectorWidth.V512)
        {
            var a = Vector512<float>.Zero;
            for (; i < blocks; i += Lanes) a += Vector512.Abs(Vector512.LoadUnsafe(ref p, (nuint)i));
            a.CopyTo(lanes);
        }
        else if (width == VectorWidth.V256)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = Vector256<float>.Zero;
            for (; i < blocks; i += Lanes)
            {
                a0 += Vector256.Abs(Vector256.LoadUnsafe(ref p, (nuint)i));
                a1 += Vector256.Abs(Vector256.LoadUnsafe(ref p, (nuint)(i + 8)));
            }
            a0.CopyTo(lanes); a1.CopyTo(lanes[8..]);
        }
        else if (width == VectorWidth.V128)
        {
            Vector128<float> a0 = Vector128<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i < blocks; i += Lanes)
            {
                a0 += Vector128.Abs(Vector128.LoadUnsafe(ref p, (nuint)i));
                a1 += Vector128.Abs(Vector128.LoadUnsafe(ref p, (nuint)(i + 4)));
                a2 += Vector128.Abs(Vector128.LoadUnsafe(ref p, (nuint)(i + 8)));
                a3 += Vector128.Abs(Vector128.LoadUnsafe(ref p, (nuint)(i + 12)));
            }
            a0.CopyTo(lanes); a1.CopyTo(lanes[4..]); a2.CopyTo(lanes[8..]); a3.CopyTo(lanes[12..]);
        }
        for (; i < x.Length; i++) lanes[i % Lanes] += MathF.Abs(Unsafe.Add(ref p, i));
        return Total(lanes);
    }

    /// <summary>The lane-ordered sum every path is tested against.</summary>
    public static float OfScalarReference(ReadOnlySpan<float> x)
    {
        Span<float> lanes = stackalloc float[Lanes];
        lanes.Clear();
        for (int i = 0; i < x.Length; i++) lanes[i % Lanes] += MathF.Abs(x[i]);
        return Total(lanes);
    }

    private static float Total(ReadOnlySpan<float> lanes)
    {
        float s = 0;
        for (int k = 0; k < Lanes; k++) s += lanes[k];
        return s;
    }
}
