using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>z − (x + y) · (1/8): a chip cell minus the mean of its eight neighbours, x holding the first seven
/// neighbours' sum and y the eighth. Add, multiply, subtract, never fused, so every width rounds like the scalar path.</summary>
public readonly struct EighthResidualOperator : ITernaryOperator<float>
{
    private const float Eighth = 0.125f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x, float y, float z) => z - (x + y) * Eighth;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z) => z - (x + y) * Vector128.Create(Eighth);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z) => z - (x + y) * Vector256.Create(Eighth);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z) => z - (x + y) * Vector512.Create(Eighth);
}
