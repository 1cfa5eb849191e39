using LabelStamp.Formats;
using LabelStamp.Marks;
using LabelStamp.Pipeline;

namespace LabelStamp.Media.Images;

/// <summary>
/// A marked frame's lossy encode, checked on the file it makes: the file is read for the mark, and while the mark does
/// not read back the same frame is encoded again one quality step finer (<see cref="ImageFormatModule.Finer"/>) until it
/// does or the format has no step left. At the matched quality a busy or glyph-edged small image can lose a mark that
/// read in its pixels (a 256 px text page at WebP q90: bench/WATERMARK.md); such a file costs more bytes, but a mark
/// the stamp claims is in the file it delivers. Where the measurements say the file cannot lose a mark that reads in
/// its pixels with a wide margin (<see cref="PixelsSuffice"/>: from 385 px, JPEG from q80, lossy WebP from q90), the
/// pixels' own self-check stands for the file's and the file is encoded once, unchecked: the check's decode was a
/// sixth to a third of the plain re-encode there (bench/WATERMARK.md, seventeenth step).
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

    /// <summary>Short side from which a lossy output may be checked in its pixels instead of its file
    /// (<see cref="PixelsSuffice"/>). Measured over the 336-image corpus, labeled and marked as the stamp does it, each frame
    /// encoded at its matched quality and at JPEG and lossy WebP 90 down to 20 (`file-check-margin`, bench/WATERMARK.md,
    /// seventeenth step): from 385 px no file lost the mark at JPEG 40 or above or at WebP 80 or above (the first losses:
    /// JPEG 30, WebP 70, flat illustrations and text pages), while at 256-384 px files lost it at JPEG 90 and WebP 90 (the
    /// 256 px photo whose matched JPEG q87 takes its mark, a 256 px text page at WebP q90) and keep their check.</summary>
    public const int MinPixelsCheckedSide = 385;

    /// <summary>Lowest JPEG quality (libjpeg's scale) at which a lossy output may be checked in its pixels: every corpus
    /// frame from 385 px read from its JPEG down to q40, 40 steps below; at q80 the weakest file still had a sync statistic
    /// of 14.4 and 17 of 330 raw bit errors, where the losses at q30 had about 70.</summary>
    public const int MinPixelsCheckedJpegQuality = 80;

    /// <summary>Lowest lossy WebP quality (libwebp's scale, the stamp's default output quality) at which a lossy output may be
    /// checked in its pixels: every corpus frame from 385 px read from its WebP q80, the first losses came at q70; at q90
    /// the weakest file had a sync statistic of 13.9 and 13 raw bit errors. WebP's headroom is the narrower one: flat
    /// illustrations and text pages at 512-768 px lose the mark from q70 whatever the pixels' margin.</summary>
    public const int MinPixelsCheckedWebpQuality = 90;

    /// <summary>Smallest sync statistic at the pixels' decoded peak that counts as a wide margin. From 385 px the corpus's
    /// pixels ranged from 17.0 up (median about 26); the few under 20 (dense paintings, a text page) keep the file check.</summary>
    public const double MinPixelsSyncStatistic = 20.0;

    /// <summary>Most raw bit errors (of the 330 coded bits) in the pixels' decode that still count as a wide margin: most
    /// frames from 385 px decode with none, the thinnest with 7.</summary>
    public const int MaxPixelsBitErrors = 2;

    /// <summary>Whether the rule may check a lossy output of <paramref name="header"/>'s size and format, encoded with
    /// <paramref name="options"/>, in its marked pixels instead of its file: a file the stamp checks
    /// (<see cref="ChecksFile"/>), an opaque frame (<paramref name="hasAlpha"/> false), a short side of at least
    /// <see cref="MinPixelsCheckedSide"/>, JPEG or lossy WebP at or above its minimum quality. A frame with alpha keeps the
    /// file check: lossy WebP with alpha took the mark out of transparent corpus frames from 512 px at q90 (a 512 x 768
    /// transparent PNG's frame) and at q80 (a 1024 px transparent WebP), where every opaque frame read. AVIF is not in the measurements (no corpus file is AVIF) and keeps the file check, as do
    /// the re-encodes one step finer (they follow a file check that failed).</summary>
    public static bool MayCheckPixelsInstead(ImageHeader header, ImageEncodeOptions options, bool hasAlpha)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(options);
        if (hasAlpha || Math.Min(header.Width, header.Height) < MinPixelsCheckedSide || !ChecksFile(header)) return false;
        int? minimum = header.Format == MediaFormat.Jpeg ? MinPixelsCheckedJpegQuality
            : header.Format == MediaFormat.WebP ? MinPixelsCheckedWebpQuality
            : null;
        return minimum is int q && MediaCatalog.ImageModuleFor(header.Format)?.LossyQuality(header, options) is int quality && quality >= q;
    }

    /// <summary>Whether the pixels' self-check (<paramref name="margin"/>, null when none ran) stands for the file check
    /// of this output: <see cref="MayCheckPixelsInstead"/>, and the mark read in the pixels with a sync statistic of at
    /// least <see cref="MinPixelsSyncStatistic"/> and at most <see cref="MaxPixelsBitErrors"/> raw bit errors.</summary>
    public static bool PixelsSuffice(ImageHeader header, ImageEncodeOptions options, bool hasAlpha, MarkMargin? margin) =>
        margin is { Reads: true, BitErrors: int errors } m && errors <= MaxPixelsBitErrors && m.SyncStatistic >= MinPixelsSyncStatistic
        && MayCheckPixelsInstead(header, options, hasAlpha);

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
