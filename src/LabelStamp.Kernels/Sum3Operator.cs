using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>(x + y) + z on floats, in that order on every width: the 3-tap sums of
/// <see cref="BoxHighPass"/> (three rows into a column sum, then three shifted column sums).</summary>
public readonly struct Sum3Operator : ITernaryOperator<float>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x, float y, float z) => x + y + z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z) => x + y + z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z) => x + y + z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z) => x + y + z;
}
