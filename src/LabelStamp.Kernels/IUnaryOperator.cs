using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>An element-wise f(x) written once per width, the term of a reduction
/// (<see cref="SpanDriver.LaneSum{TOp}"/>); the scalar <c>Invoke</c> is the reference.</summary>
public interface IUnaryOperator
{
    static abstract float Invoke(float x);
    static abstract Vector128<float> Invoke(Vector128<float> x);
    static abstract Vector256<float> Invoke(Vector256<float> x);
    static abstract Vector512<float> Invoke(Vector512<float> x);
}
