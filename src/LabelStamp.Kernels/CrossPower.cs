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
        ReadOnlySpan<float> bIm, Span<float> outRe, Span<float> outIm, VectorWidth width = VectorWidth.Auto) =>
        SpanDriver.ApplyComplex<CrossPowerOperator>(aRe, aIm, bRe, bIm, outRe, outIm, width);

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
}
