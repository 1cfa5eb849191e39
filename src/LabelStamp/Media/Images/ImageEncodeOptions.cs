namespace LabelStamp.Media.Images;

/// <summary>
/// Encoder settings where the input cannot tell us. JPEG quality normally follows the input's
/// estimated IJG quality (<see cref="JpegQualityEstimator"/>); these defaults apply when it cannot be
/// estimated (non-IJG tables) and for lossy WebP, whose quantiser we do not invert.
/// </summary>
public sealed record ImageEncodeOptions
{
    public int DefaultJpegQuality { get; init; } = 90;
    public int WebpQuality { get; init; } = 90;
    /// <summary>zlib level for PNG: 6 is libpng's default balance of size and speed.</summary>
    public int PngCompression { get; init; } = 6;
    /// <summary>AVIF has no quantiser we could read back either; 80 keeps the watermark readable at a file size
    /// well under the input's (libvips' own default is 50).</summary>
    public int AvifQuality { get; init; } = 80;
}
