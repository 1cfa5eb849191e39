using LabelStamp.Labels;
using LabelStamp.Marks;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Pipeline;
using LabelStamp.TestSupport;

namespace LabelStamp.Tests.Images;

/// <summary>
/// Honest stamping after a lossy encode (spec §5: `stamp` never claims a layer it could not apply readably): the
/// self-check after embedding sees the pixels the codec is given, so for a lossy output the stamp decodes the file
/// it wrote and checks again. Found on the corpus: a 256 px photo whose mark read before its JPEG q88 encode and not
/// after it was stamped as carrying the mark. Such a frame is now encoded again one quality step finer until the mark
/// reads back (<see cref="MarkCheckedEncode"/>), and only a mark lost at every step is left unclaimed. A watermarker
/// stand-in says "embedded" and answers the file checks as told, so these tests depend on the labeler's contract, not
/// on how a given key fares on a given photo; the last test runs the real mark on a corpus page that needs the step.
/// </summary>
public sealed class LossyEncodeSelfCheckTests
{
    /// <summary>Answers the i-th file check with <c>answers[i]</c> (the last answer repeats).</summary>
    private sealed class StandInWatermarker(params bool[] answers) : IImageWatermarker
    {
        public int Checks { get; private set; }

        public bool? SelfCheckAsked { get; private set; }

        public MarkEmbedding Embed(PixelBuffer pixels, MarkKey key, MarkId markId, bool selfCheck = true)
        {
            SelfCheckAsked = selfCheck;
            return MarkEmbedding.Applied;
        }

        public bool ReadsBack(PixelBuffer pixels, MarkKey key, MarkId markId) => answers[Math.Min(Checks++, answers.Length - 1)];

        public MarkVerdict Read(PixelBuffer pixels, MarkKey key) => throw new NotSupportedException();
    }

    private static readonly MarkKey Key = MarkKey.FromBytes(Enumerable.Range(3, 32).Select(i => (byte)i).ToArray());

    /// <summary>Stamps tests/fixtures/<paramref name="file"/> with every layer.</summary>
    private static async Task<(byte[] Output, Layers Applied, StampContext Context)> Stamp(string file, MediaFormat format, IImageWatermarker watermarker)
    {
        byte[] input = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Root, "tests", "fixtures", file));
        const string producer = "001191234567890123456700001";
        var ctx = new StampContext(file, format, new StampRequest("lossy-1", producer, new LabelPolicy()), Key,
            MarkId.Compute(Key, producer, "lossy-1"), new AigcLabel(AigcLabel.Generated, producer, "lossy-1"), new MediaLimits(), new StageTimings());
        var (output, applied) = await new ImageLabeler(watermarker: watermarker).LabelAsync(input, ctx, default);
        return (output, applied, ctx);
    }

    private static int? JpegQuality(byte[] file) => ImageHeader.Read(file, MediaFormat.Jpeg, "out.jpg").JpegQuality;

    [Theory]
    [InlineData("images/photo-00-256x256.jpg", "jpeg", 3)] // q88, then 95, then 100
    [InlineData("images/photo-01-384x384.webp", "webp", 3)] // q90, then 95, then 100
    public async Task A_mark_lost_at_every_quality_is_not_claimed(string file, string formatName, int encodes)
    {
        var format = formatName == "jpeg" ? MediaFormat.Jpeg : MediaFormat.WebP;
        var lost = new StandInWatermarker(false);
        var (output, applied, ctx) = await Stamp(file, format, lost);
        Assert.Equal(encodes, lost.Checks);
        Assert.False(lost.SelfCheckAsked); // the encoded file is checked instead of the pixels before the encode
        Assert.Equal(Layers.None, applied & Layers.Watermark);
        Assert.Contains(ctx.Notices, n => n.Layer == Layers.Watermark && n.Reason.Contains("encoded file", StringComparison.Ordinal));
        if (format == MediaFormat.Jpeg) Assert.Equal(ImageEncodeOptions.TopQuality, JpegQuality(output));
    }

    [Fact]
    public async Task A_mark_that_reads_at_the_matched_quality_keeps_it()
    {
        var kept = new StandInWatermarker(true);
        var (output, applied, ctx) = await Stamp("images/photo-00-256x256.jpg", MediaFormat.Jpeg, kept);
        Assert.Equal(1, kept.Checks);
        Assert.Equal(Layers.Watermark, applied & Layers.Watermark);
        Assert.DoesNotContain(ctx.Notices, n => n.Layer == Layers.Watermark);
        Assert.Equal(88, JpegQuality(output)); // the input's quality, as every stamp matches it
    }

    [Fact]
    public async Task A_mark_lost_at_the_matched_quality_is_encoded_one_step_finer()
    {
        var second = new StandInWatermarker(false, true);
        var (output, applied, ctx) = await Stamp("images/photo-00-256x256.jpg", MediaFormat.Jpeg, second);
        Assert.Equal(2, second.Checks);
        Assert.Equal(Layers.Watermark, applied & Layers.Watermark);
        Assert.DoesNotContain(ctx.Notices, n => n.Layer == Layers.Watermark);
        Assert.Equal(ImageEncodeOptions.MarkKeepingQuality, JpegQuality(output));
    }

    [Fact]
    public async Task A_lossless_output_keeps_the_first_check()
    {
        var lost = new StandInWatermarker(false);
        var (_, applied, _) = await Stamp("images/text-00-256x256.png", MediaFormat.Png, lost);
        Assert.Equal(0, lost.Checks);
        Assert.True(lost.SelfCheckAsked);
        Assert.Equal(Layers.Watermark, applied & Layers.Watermark);
    }

    /// <summary>The real mark, its file checks counted.</summary>
    private sealed class CountingWatermarker : IImageWatermarker
    {
        private readonly LabelStamp.Marks.Image.ImageWatermark _mark = new();

        public int Checks { get; private set; }

        public MarkEmbedding Embed(PixelBuffer pixels, MarkKey key, MarkId markId, bool selfCheck = true) => _mark.Embed(pixels, key, markId, selfCheck);

        public bool ReadsBack(PixelBuffer pixels, MarkKey key, MarkId markId)
        {
            Checks++;
            return _mark.ReadsBack(pixels, key, markId);
        }

        public MarkVerdict Read(PixelBuffer pixels, MarkKey key) => _mark.Read(pixels, key);
    }

    /// <summary>The corpus page whose mark its own WebP q90 encode takes out: with the real mark and detector the stamp
    /// checks twice and delivers the finer file, which the detector reads the stamp's ID from.</summary>
    [Fact]
    public async Task A_small_text_page_whose_webp_encode_loses_the_mark_is_encoded_finer_and_carries_it()
    {
        var watermark = new CountingWatermarker();
        var (output, applied, ctx) = await Stamp("textured/text-34-256x256.webp", MediaFormat.WebP, watermark);
        Assert.Equal(2, watermark.Checks); // the matched q90 lost it (the step this test is about); q95 keeps it
        Assert.Equal(Layers.Watermark, applied & Layers.Watermark);
        var header = ImageHeader.Read(output, MediaFormat.WebP, "out.webp");
        using var decoded = ImageCodec.Decode(output, header, "out.webp");
        Assert.Equal(ctx.MarkId, watermark.Read(decoded.Pixels, Key).Reading?.MarkId);
    }
}
