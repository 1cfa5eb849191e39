using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>
/// A two-point transform of complex pairs with a complex coefficient, (a, b, w) → (a', b'), written once
/// per width (split real/imaginary form). The scalar <c>Invoke</c> is the reference every vector overload
/// must match bit for bit; <see cref="SpanDriver.ApplyButterfly{TOp}"/> supplies the loop.
/// </summary>
public interface IButterflyOperator
{
    static abstract (float ARe, float AIm, float BRe, float BIm) Invoke(float aRe, float aIm, float bRe, float bIm, float wRe, float wIm);

    static abstract (Vector128<float> ARe, Vector128<float> AIm, Vector128<float> BRe, Vector128<float> BIm) Invoke(
        Vector128<float> aRe, Vector128<float> aIm, Vector128<float> bRe, Vector128<float> bIm, Vector128<float> wRe, Vector128<float> wIm);

    static abstract (Vector256<float> ARe, Vector256<float> AIm, Vector256<float> BRe, Vector256<float> BIm) Invoke(
        Vector256<float> aRe, Vector256<float> aIm, Vector256<float> bRe, Vector256<float> bIm, Vector256<float> wRe, Vector256<float> wIm);

    static abstract (Vector512<float> ARe, Vector512<float> AIm, Vector512<float> BRe, Vector512<float> BIm) Invoke(
        Vector512<float> aRe, Vector512<float> aIm, Vector512<float> bRe, Vector512<float> bIm, Vector512<float> wRe, Vector512<float> wIm);
}
