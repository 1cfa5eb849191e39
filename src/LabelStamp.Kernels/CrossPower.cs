using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>
/// The correlation kernel of the detector: the element-wise product a · conj(b) of two spectra in
/// split real/imaginary form. With b = a it gives the power spectrum (autocorrelation by FFT); with b =
/// the spectrum of the sync pattern, the cross-correlation. Plain multiplies and adds (no fused
/// multiply-add) so every width gives the scalar result to the bit.
/// </summary>
public static class CrossPower
{
    public static void Apply(ReadOnlySpan<float> aRe, ReadOnlySpan<float> aIm, ReadOnlySpan<float> bRe,
        ReadOnlySpan<float> bIm, Span<float> outRe, Span<float> outIm, VectorWidth width = VectorWidth.Auto)
    {
        int n = outRe.Length;
        if (aRe.Length != n || aIm.Length != n || bRe.Length != n || bIm.Length != n || outIm.Length != n)
            throw new ArgumentException("All spans of a cross-power must have the same length.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref float ar = ref MemoryMarshal.GetReference(aRe);
        ref float ai = ref MemoryMarshal.GetReference(aIm);
        ref float br = ref MemoryMarshal.GetReference(bRe);
        ref float bi = ref MemoryMarshal.GetReference(bIm);
        ref float or = ref MemoryMarshal.GetReference(outRe);
        ref float oi = ref MemoryMarshal.GetReference(outIm);
        int i = 0;
        // Whole vectors, then a scalar tail: outputs may alias inputs, so no overlapping last vector.
        if (width == VectorWidth.V512)
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var xr = Vector512.LoadUnsafe(ref ar, (nuint)i); var xi = Vector512.LoadUnsafe(ref ai, (nuint)i);
                var yr = Vector512.LoadUnsafe(ref br, (nuint)i); var yi = Vector512.LoadUnsafe(ref bi, (nuint)i);
                (xr * yr + xi * yi).StoreUnsafe(ref or, (nuint)i);
                (xi * yr - xr * yi).StoreUnsafe(ref oi, (nuint)i);
            }
        if (width >= VectorWidth.V256)
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var xr = Vector256.LoadUnsafe(ref ar, (nuint)i); var xi = Vector256.LoadUnsafe(ref ai, (nuint)i);
                var yr = Vector256.LoadUnsafe(ref br, (nuint)i); var yi = Vector256.LoadUnsafe(ref bi, (nuint)i);
                (xr * yr + xi * yi).StoreUnsafe(ref or, (nuint)i);
                (xi * yr - xr * yi).StoreUnsafe(ref oi, (nuint)i);
            }
        if (width >= VectorWidth.V128)
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                var xr = Vector128.LoadUnsafe(ref ar, (nuint)i); var xi = Vector128.LoadUnsafe(ref ai, (nuint)i);
                var yr = Vector128.LoadUnsafe(ref br, (nuint)i); var yi = Vector128.LoadUnsafe(ref bi, (nuint)i);
                (xr * yr + xi * yi).StoreUnsafe(ref or, (nuint)i);
                (xi * yr - xr * yi).StoreUnsafe(ref oi, (nuint)i);
            }
        for (; i < n; i++) Scalar(ref ar, ref ai, ref br, ref bi, ref or, ref oi, i);
    }

    /// <summary>The scalar reference.</summary>
    public static void ApplyScalarReference(ReadOnlySpan<float> aRe, ReadOnlySpan<float> aIm, ReadOnlySpan<float> bRe,
        ReadOnlySpan<float> bIm, Span<float> outRe, Span<float> outIm)
    {
        for (int i = 0; i < outRe.Length; i++)
        {
            float xr = aRe[i], xi = aIm[i], yr = bRe[i], yi = bIm[i];
            outRe[i] = xr * yr + xi * yi;
            outIm[i] = xi * yr - xr * yi;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scalar(ref float ar, ref float ai, ref float br, ref float bi, ref float or, ref float oi, int i)
    {
        float xr = Unsafe.Add(ref ar, i), xi = Unsafe.Add(ref ai, i), yr = Unsafe.Add(ref br, i), yi = Unsafe.Add(ref bi, i);
        Unsafe.Add(ref or, i) = xr * yr + xi * yi;
        Unsafe.Add(ref oi, i) = xi * yr - xr * yi;
    }
}
