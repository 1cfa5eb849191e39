using LabelStamp.Errors;

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
    /// <summary>The PNG row filter for every frame, or null (the default): then none (libvips' default, the choice for the
    /// flat pages an unmarked PNG often is: deflate matches their long runs cheaply), except that the stamp gives a marked
    /// frame Up where the mark broke the rows' repeats that none relied on (<see cref="Formats.Png.PngFilterChoice"/>).</summary>
    public NetVips.Enums.ForeignPngFilter? PngFilter { get; init; }
    /// <summary>AVIF has no quantiser we could read back either; 80 keeps the watermark readable at a file size
    /// well under the input's (libvips' own default is 50).</summary>
    public int AvifQuality { get; init; } = 80;

    /// <summary>The first lossy quality tried when the mark does not read back from the stamp's own encode at the
    /// matched quality (a busy 256 px photo at JPEG q88, a 256 px text page at WebP q90: bench/WATERMARK.md).</summary>
    public const int MarkKeepingQuality = 95;
    /// <summary>The last one: near-lossless for every lossy encoder we use.</summary>
    public const int TopQuality = 100;

    /// <summary>Pixels above which the encoders spend less memory for a slightly larger file: JPEG without
    /// Huffman optimisation (libjpeg's optimiser keeps every coefficient of the frame for its second pass,
    /// 300 MB at 100 MP) and WebP at effort 2 (its analysis buffers grow with the effort). 24 MP is
    /// above every camera and generator size in common use, so only very large images take the cheaper path.</summary>
    public long LargeImagePixels { get; init; } = 24_000_000;

    /// <summary>Whether an image of <paramref name="width"/> × <paramref name="height"/> takes the
    /// encoders' lower-memory settings.</summary>
    public bool IsLarge(int width, int height) => (long)width * height > LargeImagePixels;

    /// <summary>libwebp's effort (0–6) for an image of this size: its default 4, or 2 when large.</summary>
    public int WebpEffort(int width, int height) => IsLarge(width, height) ? 2 : 4;

    /// <summary>The settings as a worker's configuration gives them (the Images section), checked at start-up so a
    /// bad value stops the worker instead of failing its first image.</summary>
    public ImageEncodeOptions Validate()
    {
        Quality(DefaultJpegQuality, "JPEG quality");
        Quality(WebpQuality, "WebP quality");
        Quality(AvifQuality, "AVIF quality");
        if (PngCompression is < 0 or > 9)
            throw new LabelStampException(ErrorCode.InvalidPolicy, $"PNG compression {PngCompression} must be a zlib level from 0 to 9");
        // A set of row filters (libpng tries each and keeps the best per row); none of them, or a bit outside them, is no filter choice.
        if (PngFilter is { } filter && (filter == 0 || (filter & ~NetVips.Enums.ForeignPngFilter.All) != 0))
            throw new LabelStampException(ErrorCode.InvalidPolicy, $"PNG filter {(int)filter} is not one of none, sub, up, avg, paeth or a combination (all: adaptive)");
        if (LargeImagePixels < 1)
            throw new LabelStampException(ErrorCode.InvalidPolicy, $"large-image pixels {LargeImagePixels} must be at least 1");
        return this;
    }

    private static void Quality(int value, string what)
    {
        if (value is < 1 or > 100) throw new LabelStampException(ErrorCode.InvalidPolicy, $"{what} {value} must be between 1 and 100");
    }
}
