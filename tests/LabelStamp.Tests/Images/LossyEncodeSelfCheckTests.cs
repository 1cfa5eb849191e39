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
/// after it was stamped as carrying the mark. A watermarker stand-in says "embedded" and answers the second check as
/// told, so the test depends on the labeler's contract, not on how a given key fares on a given photo.
/// </summary>
public sealed class LossyEncodeSelfCheckTests
{
    private static readonly string Dir = Path.Combine(RepoPaths.Root, "tests", "fixtures", "images");

    private sealed class StandInWatermarker(bool readsBack) : IImageWatermarker
    {
        public int Checks { get; private set; }

        public bool? SelfCheckAsked { get; private set; }

        public MarkEmbedding Embed(PixelBuffer pixels, MarkKey key, MarkId markId, bool selfCheck = true)
        {
            SelfCheckAsked = selfCheck;
            return MarkEmbedding.Applied;
        }

        public bool ReadsBack(PixelBuffer pixels, MarkKey key, MarkId markId)
        {
            Checks++;
            return readsBack;
        }

        public MarkVerdict Read(PixelBuffer pixels, MarkKey key) => throw new NotSupportedException();
    }

    private static async Task<(Layers Applied, StampContext Context)> Stamp(string file, MediaFormat format, IImageWatermarker watermarker)
    {
        byte[] input = await File.ReadAllBytesAsync(Path.Combine(Dir, file));
        var key = MarkKey.FromBytes(Enumerable.Range(3, 32).Select(i => (byte)i).ToArray());
        const string producer = "001191234567890123456700001";
        var ctx = new StampContext(file, format, new StampRequest("lossy-1", producer, new LabelPolicy()), key,
            MarkId.Compute(key, producer, "lossy-1"), new AigcLabel(AigcLabel.Generated, producer, "lossy-1"), new MediaLimits(), new StageTimings());
        var (_, applied) = await new ImageLabeler(watermarker: watermarker).LabelAsync(input, ctx, default);
        return (applied, ctx);
    }

    [Theory]
    [InlineData("photo-00-256x256.jpg", "jpeg")]
    [InlineData("photo-01-384x384.webp", "webp")]
    public async Task A_mark_lost_in_the_lossy_encode_is_not_claimed(string file, string formatName)
    {
        var format = formatName == "jpeg" ? MediaFormat.Jpeg : MediaFormat.WebP;
        var lost = new StandInWatermarker(readsBack: false);
        var (applied, ctx) = await Stamp(file, format, lost);
        Assert.Equal(1, lost.Checks);
        Assert.False(lost.SelfCheckAsked); // the encoded file is checked instead of the pixels before the encode
        Assert.Equal(Layers.None, applied & Layers.Watermark);
        Assert.Contains(ctx.Notices, n => n.Layer == Layers.Watermark && n.Reason.Contains("encoded file", StringComparison.Ordinal));

        var kept = new StandInWatermarker(readsBack: true);
        (applied, ctx) = await Stamp(file, format, kept);
        Assert.Equal(1, kept.Checks);
        Assert.Equal(Layers.Watermark, applied & Layers.Watermark);
        Assert.DoesNotContain(ctx.Notices, n => n.Layer == Layers.Watermark);
    }

    [Fact]
    public async Task A_lossless_output_keeps_the_first_check()
    {
        var lost = new StandInWatermarker(readsBack: false);
        var (applied, _) = await Stamp("text-00-256x256.png", MediaFormat.Png, lost);
        Assert.Equal(0, lost.Checks);
        Assert.True(lost.SelfCheckAsked);
        Assert.Equal(Layers.Watermark, applied & Layers.Watermark);
    }
}
