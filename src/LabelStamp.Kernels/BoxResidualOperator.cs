using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>y − x · (1/9): a sample minus its 3 × 3 mean, x being the 3 × 3 sum (z unused). Multiply
/// then subtract, never fused, so every width rounds like the scalar path.</summary>
public readonly struct BoxResidualOperator : ITernaryOperator<float>
{
    private const float Ninth = 1f / 9f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x, float y, float z) => y - x * Ninth;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z) => y - x * Vector128.Create(Ninth);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z) => y - x * Vector256.Create(Ninth);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z) => y - x * Vector512.Create(Ninth);
}
