using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>y &gt; z ? x / √y : 0 — a correlation over the root of its variance, scored 0 where the variance
/// is at or below a floor z (the transforms' rounding). Square root and division are correctly rounded on
/// every width, so the vector lanes give the scalar values exactly; lanes below the floor (even negative
/// ones, whose root is NaN) are replaced by 0 after the fact.</summary>
public readonly struct NormalisedCorrelationOperator : ITernaryOperator<float>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x, float y, float z) => y > z ? x / MathF.Sqrt(y) : 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(y, z), x / Vector128.Sqrt(y), Vector128<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(y, z), x / Vector256.Sqrt(y), Vector256<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(y, z), x / Vector512.Sqrt(y), Vector512<float>.Zero);
}
