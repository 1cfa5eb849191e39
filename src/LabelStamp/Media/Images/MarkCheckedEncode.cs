using LabelStamp.Formats;
using LabelStamp.Pipeline;

namespace LabelStamp.Media.Images;

/// <summary>
/// A marked frame's lossy encode, checked on the file it makes: the file is read for the mark, and while the mark does
/// not read back the same frame is encoded again one quality step finer (<see cref="ImageFormatModule.Finer"/>) until it
/// does or the format has no step left. At the matched quality a busy or glyph-edged small image can lose a mark that
/// read in its pixels (a 256 px text page at WebP q90: bench/WATERMARK.md); such a file costs more bytes, but a mark
/// the stamp claims is in the file it delivers.
/// </summary>
public static class MarkCheckedEncode
{
    /// <summary>Largest image whose lossy output is decoded again to check the mark: at and below it the stamp's own
    /// encode can take the mark (a 256 px photo at JPEG q88, a 256 px text page at WebP q90); from 385 px every one of
    /// the 266 development-corpus images, lossy ones included, read back from the file stamped in its own format
    /// (bench/WATERMARK.md, the whole suite), while a second decode would add the frame's size to the stamp's peak
    /// memory and a whole decode to its time.</summary>
    public const long MaxCheckedPixels = 4L << 20;

    /// <summary>Whether a marked frame with <paramref name="header"/>'s size and settings is encoded by
    /// <see cref="Encode"/>: a lossy output of at most <see cref="MaxCheckedPixels"/>.</summary>
    public static bool ChecksFile(ImageHeader header) =>
        (long)header.Width * header.Height <= MaxCheckedPixels
        && MediaCatalog.ImageModuleFor(header.Format) is { } module && module.EncodesLossily(header);

    /// <summary>Encodes <paramref name="decoded"/> (<see cref="ImageCodec.Encode"/>) and reports whether
    /// <paramref name="readsBack"/> found the mark in the file returned. A frame the encoder takes over
    /// (<see cref="ImageEncodeOptions.IsLarge"/>) cannot be encoded twice, so it gets the first encode only.</summary>
    public static (byte[] File, bool MarkReads) Encode(DecodedImage decoded, ImageHeader header, ImageEncodeOptions options, string name,
        Func<byte[], bool> readsBack, string? xmp = null, StageTimings? timings = null)
    {
        ArgumentNullException.ThrowIfNull(readsBack);
        timings ??= new StageTimings();
        bool reusable = !options.IsLarge(header.Width, header.Height);
        while (true)
        {
            var (h, o) = (header, options);
            byte[] file = timings.Measure("encode", () => ImageCodec.Encode(decoded, h, o, name, xmp));
            if (timings.Measure("watermark-check", () => readsBack(file))) return (file, true);
            if (!reusable || MediaCatalog.ImageModuleFor(header.Format)?.Finer(header, options) is not { } finer) return (file, false);
            (header, options) = finer;
        }
    }
}
