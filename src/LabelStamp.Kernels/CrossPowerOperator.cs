using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>a · conj(b): (ar·br + ai·bi, ai·br − ar·bi). Plain multiplies and adds (no fused
/// multiply-add), so every width rounds like the scalar path.</summary>
public readonly struct CrossPowerOperator : IComplexOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (float Re, float Im) Invoke(float aRe, float aIm, float bRe, float bIm) => (aRe * bRe + aIm * bIm, aIm * bRe - aRe * bIm);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<float> Re, Vector128<float> Im) Invoke(Vector128<float> aRe, Vector128<float> aIm, Vector128<float> bRe, Vector128<float> bIm) =>
        (aRe * bRe + aIm * bIm, aIm * bRe - aRe * bIm);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<float> Re, Vector256<float> Im) Invoke(Vector256<float> aRe, Vector256<float> aIm, Vector256<float> bRe, Vector256<float> bIm) =>
        (aRe * bRe + aIm * bIm, aIm * bRe - aRe * bIm);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<float> Re, Vector512<float> Im) Invoke(Vector512<float> aRe, Vector512<float> aIm, Vector512<float> bRe, Vector512<float> bIm) =>
        (aRe * bRe + aIm * bIm, aIm * bRe - aRe * bIm);
}
