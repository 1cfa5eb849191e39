using LabelStamp.Labels;
using LabelStamp.Marks;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Pipeline;
using LabelStamp.TestSupport;

namespace LabelStamp.Tests.Images;

/// <summary>
/// Where a lossy output's file check is replaced by the pixels' own self-check (<see cref="MarkCheckedEncode.PixelsSuffice"/>):
/// only from <see cref="MarkCheckedEncode.MinPixelsCheckedSide"/> px, at or above the format's minimum quality, and only
/// when the pixels read with a wide margin. Everywhere else the file is decoded again and checked, as before; and a
/// mark the rule lets through still reads from the delivered file.
/// </summary>
public sealed class PixelsCheckedLossyOutputTests
{
    private static readonly MarkKey Key = MarkKey.FromBytes(Enumerable.Range(3, 32).Select(i => (byte)i).ToArray());

    private static readonly MarkMargin Wide = new(true, MarkCheckedEncode.MinPixelsSyncStatistic + 5, 0);

    /// <summary>The real mark; its file checks and the embed's self-check requests counted.</summary>
    private sealed class CountingWatermarker : IImageWatermarker
    {
        private readonly LabelStamp.Marks.Image.ImageWatermark _mark = new();

        public int Checks { get; private set; }

        public MarkEmbedding? Embedding { get; private set; }

        public MarkEmbedding Embed(PixelBuffer pixels, MarkKey key, MarkId markId, bool selfCheck = true) =>
            Embedding = _mark.Embed(pixels, key, markId, selfCheck);

        public bool ReadsBack(PixelBuffer pixels, MarkKey key, MarkId markId)
        {
            Checks++;
            return _mark.ReadsBack(pixels, key, markId);
        }

        public MarkVerdict Read(PixelBuffer pixels, MarkKey key) => _mark.Read(pixels, key);
    }

    /// <summary>Says "embedded" with the margin it is given and answers every file check with <c>fileReads</c>.</summary>
    private sealed class StandInWatermarker(MarkMargin? margin, bool fileReads) : IImageWatermarker
    {
        public int Checks { get; private set; }

        public MarkEmbedding Embed(PixelBuffer pixels, MarkKey key, MarkId markId, bool selfCheck = true) =>
            !selfCheck ? MarkEmbedding.Applied
            : margin is { Reads: false } ? MarkEmbedding.NotReadable("stand-in: not read in the pixels") with { Margin = margin }
            : MarkEmbedding.Applied with { Margin = margin };

        public bool ReadsBack(PixelBuffer pixels, MarkKey key, MarkId markId)
        {
            Checks++;
            return fileReads;
        }

        public MarkVerdict Read(PixelBuffer pixels, MarkKey key) => throw new NotSupportedException();
    }

    private static async Task<(byte[] Output, Layers Applied, StampContext Context)> Stamp(string file, MediaFormat format, IImageWatermarker watermarker,
        ImageEncodeOptions? options = null)
    {
        byte[] input = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Root, "tests", "fixtures", file));
        const string producer = "001191234567890123456700001";
        var ctx = new StampContext(file, format, new StampRequest("pixels-1", producer, new LabelPolicy()), Key,
            MarkId.Compute(Key, producer, "pixels-1"), new AigcLabel(AigcLabel.Generated, producer, "pixels-1"), new MediaLimits(), new StageTimings());
        var (output, applied) = await new ImageLabeler(options, watermarker: watermarker).LabelAsync(input, ctx, default);
        return (output, applied, ctx);
    }

    private static MarkId? ReadId(byte[] output, MediaFormat format, IImageWatermarker watermarker)
    {
        var header = ImageHeader.Read(output, format, "out");
        using var decoded = ImageCodec.Decode(output, header, "out");
        return watermarker.Read(decoded.Pixels, Key).Reading?.MarkId;
    }

    [Theory]
    [InlineData("images/painting-02-512x512.webp", "webp")] // lossy WebP, stamped at q90
    [InlineData("images/illustration-02-512x512.jpg", "jpeg")] // JPEG q94, matched
    public async Task A_large_high_quality_output_is_checked_in_its_pixels_and_still_reads_from_its_file(string file, string formatName)
    {
        var format = formatName == "jpeg" ? MediaFormat.Jpeg : MediaFormat.WebP;
        var mark = new CountingWatermarker();
        var (output, applied, ctx) = await Stamp(file, format, mark);
        Assert.Equal(0, mark.Checks); // no second decode of the file
        Assert.NotNull(mark.Embedding?.Margin);
        Assert.True(MarkCheckedEncode.PixelsSuffice(ImageHeader.Read(output, format, "out"), new ImageEncodeOptions(), hasAlpha: false, mark.Embedding!.Margin));
        Assert.Equal(Layers.Watermark, applied & Layers.Watermark);
        Assert.Equal(ctx.MarkId, ReadId(output, format, mark)); // the rule's claim, checked on the delivered file
    }

    [Fact]
    public async Task A_384_px_output_is_still_checked_in_its_file()
    {
        var mark = new CountingWatermarker();
        var (output, applied, ctx) = await Stamp("images/photo-01-384x384.webp", MediaFormat.WebP, mark);
        Assert.Equal(1, mark.Checks);
        Assert.Equal(Layers.Watermark, applied & Layers.Watermark);
        Assert.Equal(ctx.MarkId, ReadId(output, MediaFormat.WebP, mark));
    }

    [Fact]
    public async Task A_low_quality_output_is_still_checked_in_its_file()
    {
        var mark = new CountingWatermarker();
        var low = new ImageEncodeOptions { WebpQuality = MarkCheckedEncode.MinPixelsCheckedWebpQuality - 1 };
        var (_, applied, _) = await Stamp("images/painting-02-512x512.webp", MediaFormat.WebP, mark, low);
        Assert.Equal(1, mark.Checks);
        Assert.Equal(Layers.Watermark, applied & Layers.Watermark);
    }

    [Fact]
    public async Task A_thin_margin_in_the_pixels_keeps_the_file_check()
    {
        var thin = new StandInWatermarker(Wide with { SyncStatistic = MarkCheckedEncode.MinPixelsSyncStatistic - 0.01 }, fileReads: false);
        var (_, applied, ctx) = await Stamp("images/painting-02-512x512.webp", MediaFormat.WebP, thin);
        Assert.Equal(3, thin.Checks); // q90, then the finer steps 95 and 100, all checked on the file
        Assert.Equal(Layers.None, applied & Layers.Watermark);
        Assert.Contains(ctx.Notices, n => n.Layer == Layers.Watermark && n.Reason.Contains("encoded file", StringComparison.Ordinal));

        var errors = new StandInWatermarker(Wide with { BitErrors = MarkCheckedEncode.MaxPixelsBitErrors + 1 }, fileReads: true);
        (_, applied, _) = await Stamp("images/painting-02-512x512.webp", MediaFormat.WebP, errors);
        Assert.Equal(1, errors.Checks);
        Assert.Equal(Layers.Watermark, applied & Layers.Watermark);
    }

    [Fact]
    public async Task A_mark_the_pixels_do_not_read_is_left_to_the_file_check()
    {
        var fileReads = new StandInWatermarker(new MarkMargin(false, 3.0, null), fileReads: true);
        var (_, applied, ctx) = await Stamp("images/painting-02-512x512.webp", MediaFormat.WebP, fileReads);
        Assert.Equal(1, fileReads.Checks);
        Assert.Equal(Layers.Watermark, applied & Layers.Watermark);
        Assert.DoesNotContain(ctx.Notices, n => n.Layer == Layers.Watermark);
    }

    [Fact]
    public async Task A_wide_margin_skips_the_file_check()
    {
        var wide = new StandInWatermarker(Wide, fileReads: false);
        var (_, applied, _) = await Stamp("images/painting-02-512x512.webp", MediaFormat.WebP, wide);
        Assert.Equal(0, wide.Checks);
        Assert.Equal(Layers.Watermark, applied & Layers.Watermark);
    }

    [Fact]
    public void The_rule_s_boundaries()
    {
        var options = new ImageEncodeOptions();
        int side = MarkCheckedEncode.MinPixelsCheckedSide, q = MarkCheckedEncode.MinPixelsCheckedJpegQuality;
        ImageHeader Jpeg(int w, int h, int quality) => new(MediaFormat.Jpeg, w, h) { JpegQuality = quality };
        Assert.True(MarkCheckedEncode.MayCheckPixelsInstead(Jpeg(side, 1000, q), options, hasAlpha: false));
        Assert.False(MarkCheckedEncode.MayCheckPixelsInstead(Jpeg(side - 1, 1000, q), options, hasAlpha: false));
        Assert.False(MarkCheckedEncode.MayCheckPixelsInstead(Jpeg(1000, side - 1, q), options, hasAlpha: false));
        Assert.False(MarkCheckedEncode.MayCheckPixelsInstead(Jpeg(side, 1000, q - 1), options, hasAlpha: false));
        // Above the file check's own limit the pixels are checked anyway (ChecksFile is false): the rule has nothing to replace.
        Assert.False(MarkCheckedEncode.MayCheckPixelsInstead(Jpeg(2049, 2049, q), options, hasAlpha: false));
        var webp = new ImageHeader(MediaFormat.WebP, 512, 512);
        Assert.True(MarkCheckedEncode.MayCheckPixelsInstead(webp, options with { WebpQuality = MarkCheckedEncode.MinPixelsCheckedWebpQuality }, hasAlpha: false));
        Assert.False(MarkCheckedEncode.MayCheckPixelsInstead(webp, options with { WebpQuality = MarkCheckedEncode.MinPixelsCheckedWebpQuality - 1 }, hasAlpha: false));
        Assert.False(MarkCheckedEncode.MayCheckPixelsInstead(webp with { WebpLossless = true }, options, hasAlpha: false));
        Assert.False(MarkCheckedEncode.MayCheckPixelsInstead(new ImageHeader(LabelStamp.Formats.Heif.AvifModule.Avif, 512, 512), options with { AvifQuality = 100 }, hasAlpha: false));

        var header = Jpeg(512, 512, 94);
        Assert.True(MarkCheckedEncode.PixelsSuffice(header, options, hasAlpha: false, Wide));
        Assert.True(MarkCheckedEncode.PixelsSuffice(header, options, hasAlpha: false, Wide with { SyncStatistic = MarkCheckedEncode.MinPixelsSyncStatistic }));
        Assert.False(MarkCheckedEncode.PixelsSuffice(header, options, hasAlpha: false, Wide with { SyncStatistic = MarkCheckedEncode.MinPixelsSyncStatistic - 0.01 }));
        Assert.True(MarkCheckedEncode.PixelsSuffice(header, options, hasAlpha: false, Wide with { BitErrors = MarkCheckedEncode.MaxPixelsBitErrors }));
        Assert.False(MarkCheckedEncode.PixelsSuffice(header, options, hasAlpha: false, Wide with { BitErrors = MarkCheckedEncode.MaxPixelsBitErrors + 1 }));
        Assert.False(MarkCheckedEncode.PixelsSuffice(header, options, hasAlpha: false, Wide with { Reads = false }));
        Assert.False(MarkCheckedEncode.PixelsSuffice(header, options, hasAlpha: false, null));
        Assert.False(MarkCheckedEncode.PixelsSuffice(header, options, hasAlpha: true, Wide)); // a frame with alpha keeps the file check
        Assert.False(MarkCheckedEncode.PixelsSuffice(Jpeg(384, 512, 94), options, hasAlpha: false, Wide));
    }
}
