using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>
/// A function of two complex numbers in split real/imaginary form, f(a, b) = c, written once per width
/// (the one-to-two shape: four input spans, two output spans). The scalar <c>Invoke</c> is the reference
/// every vector overload must match bit for bit; <see cref="SpanDriver.ApplyComplex{TOp}"/> supplies the loop.
/// </summary>
public interface IComplexOperator
{
    static abstract (float Re, float Im) Invoke(float aRe, float aIm, float bRe, float bIm);
    static abstract (Vector128<float> Re, Vector128<float> Im) Invoke(Vector128<float> aRe, Vector128<float> aIm, Vector128<float> bRe, Vector128<float> bIm);
    static abstract (Vector256<float> Re, Vector256<float> Im) Invoke(Vector256<float> aRe, Vector256<float> aIm, Vector256<float> bRe, Vector256<float> bIm);
    static abstract (Vector512<float> Re, Vector512<float> Im) Invoke(Vector512<float> aRe, Vector512<float> aIm, Vector512<float> bRe, Vector512<float> bIm);
}
