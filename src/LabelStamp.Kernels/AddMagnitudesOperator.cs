using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>(x + |y|) + |z|: two more magnitudes added onto a running sum, in that order (the chip-mean fold's
/// 3 × 3 level, nine magnitudes added left to right).</summary>
public readonly struct AddMagnitudesOperator : ITernaryOperator<float>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x, float y, float z) => (x + MathF.Abs(y)) + MathF.Abs(z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z) => (x + Vector128.Abs(y)) + Vector128.Abs(z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z) => (x + Vector256.Abs(y)) + Vector256.Abs(z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z) => (x + Vector512.Abs(y)) + Vector512.Abs(z);
}
