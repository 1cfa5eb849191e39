namespace LabelStamp.Kernels;

/// <summary>Composites a pre-expanded overlay row onto interleaved 8-bit samples, in place.</summary>
public static class AlphaBlend
{
    /// <summary>
    /// dest[i] = over(dest[i], colour[i], alpha[i]). The overlay is laid out exactly like the destination
    /// row (one colour and one alpha byte per destination sample), so the kernel never needs to know
    /// how many bands a pixel has.
    /// </summary>
    public static void Row(Span<byte> dest, ReadOnlySpan<byte> colour, ReadOnlySpan<byte> alpha,
        VectorWidth width = VectorWidth.Auto) =>
        SpanDriver.Apply<byte, AlphaBlendOperator>(dest, colour, alpha, dest, width);

    /// <summary>The plain textbook formula (floating point, rounded) every path is tested against.</summary>
    public static void RowScalarReference(Span<byte> dest, ReadOnlySpan<byte> colour, ReadOnlySpan<byte> alpha)
    {
        for (int i = 0; i < dest.Length; i++)
            dest[i] = (byte)Math.Round((dest[i] * (255.0 - alpha[i]) + colour[i] * (double)alpha[i]) / 255.0,
                MidpointRounding.AwayFromZero);
    }
}
