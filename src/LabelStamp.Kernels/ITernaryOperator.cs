using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>
/// An element-wise operation f(x, y, z) written once per width. The scalar <c>Invoke</c> is the
/// reference every vector overload must match bit for bit; <see cref="SpanDriver"/> supplies the loop.
/// </summary>
public interface ITernaryOperator<T> where T : unmanaged
{
    static abstract T Invoke(T x, T y, T z);
    static abstract Vector128<T> Invoke(Vector128<T> x, Vector128<T> y, Vector128<T> z);
    static abstract Vector256<T> Invoke(Vector256<T> x, Vector256<T> y, Vector256<T> z);
    static abstract Vector512<T> Invoke(Vector512<T> x, Vector512<T> y, Vector512<T> z);
}
