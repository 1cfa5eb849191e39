using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>min(max(x·y, −z), z) on floats (z ≥ 0): scale a sample by its local gain, then limit it.</summary>
public readonly struct ScaleClampOperator : ITernaryOperator<float>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x, float y, float z) => MathF.Min(MathF.Max(x * y, -z), z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z) => Vector128.Min(Vector128.Max(x * y, -z), z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z) => Vector256.Min(Vector256.Max(x * y, -z), z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z) => Vector512.Min(Vector512.Max(x * y, -z), z);
}
