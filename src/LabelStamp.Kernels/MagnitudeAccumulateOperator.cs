using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>|x|·y + z on floats (multiply and add kept separate, never fused, so every width rounds like
/// the scalar path): a weighted running sum of magnitudes, e.g. the column sums of a block's |residual|.</summary>
public readonly struct MagnitudeAccumulateOperator : ITernaryOperator<float>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x, float y, float z) => MathF.Abs(x) * y + z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z) => Vector128.Abs(x) * y + z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z) => Vector256.Abs(x) * y + z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z) => Vector512.Abs(x) * y + z;
}
