using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels.Fft;

/// <summary>The decimation-in-time butterfly: t = b·w, a' = a + t, b' = a − t. Plain multiplies and
/// adds (no fused multiply-add), so every width rounds like the scalar path.</summary>
public readonly struct RadixTwoButterfly : IButterflyOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (float ARe, float AIm, float BRe, float BIm) Invoke(float aRe, float aIm, float bRe, float bIm, float wRe, float wIm)
    {
        float tr = bRe * wRe - bIm * wIm, ti = bRe * wIm + bIm * wRe;
        return (aRe + tr, aIm + ti, aRe - tr, aIm - ti);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<float> ARe, Vector128<float> AIm, Vector128<float> BRe, Vector128<float> BIm) Invoke(
        Vector128<float> aRe, Vector128<float> aIm, Vector128<float> bRe, Vector128<float> bIm, Vector128<float> wRe, Vector128<float> wIm)
    {
        var tr = bRe * wRe - bIm * wIm;
        var ti = bRe * wIm + bIm * wRe;
        return (aRe + tr, aIm + ti, aRe - tr, aIm - ti);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<float> ARe, Vector256<float> AIm, Vector256<float> BRe, Vector256<float> BIm) Invoke(
        Vector256<float> aRe, Vector256<float> aIm, Vector256<float> bRe, Vector256<float> bIm, Vector256<float> wRe, Vector256<float> wIm)
    {
        var tr = bRe * wRe - bIm * wIm;
        var ti = bRe * wIm + bIm * wRe;
        return (aRe + tr, aIm + ti, aRe - tr, aIm - ti);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<float> ARe, Vector512<float> AIm, Vector512<float> BRe, Vector512<float> BIm) Invoke(
        Vector512<float> aRe, Vector512<float> aIm, Vector512<float> bRe, Vector512<float> bIm, Vector512<float> wRe, Vector512<float> wIm)
    {
        var tr = bRe * wRe - bIm * wIm;
        var ti = bRe * wIm + bIm * wRe;
        return (aRe + tr, aIm + ti, aRe - tr, aIm - ti);
    }
}
