using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>x / (y · (1/9) + z): a residual divided by its 3 × 3 mean magnitude (y: the nine magnitudes' sum)
/// plus a floor (z). Multiply, add, divide, never fused, so every width rounds like the scalar path.</summary>
public readonly struct NinthNormaliseOperator : ITernaryOperator<float>
{
    private const float Ninth = 1f / 9f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x, float y, float z) => x / (y * Ninth + z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z) => x / (y * Vector128.Create(Ninth) + z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z) => x / (y * Vector256.Create(Ninth) + z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z) => x / (y * Vector512.Create(Ninth) + z);
}
