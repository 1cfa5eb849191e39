using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;
using LabelStamp.TestSupport;

namespace LabelStamp.Tests.Marks.Image;

/// <summary>
/// JPEG q75 of images under two mark periods a side (bench/WATERMARK.md, tenth step): the flat-area gain is
/// doubled there (<see cref="PerceptualMask.FlatGainFor"/>), and the chip-mean reading also folds the chip cells
/// at the image origin's phase. Both cases below read only `present` before; the embedder, the codec and the
/// key are deterministic (test key seed 7, wrong key seed 8).
/// </summary>
public sealed class SmallImageJpegTests
{
    private static readonly string Dir = Path.Combine(RepoPaths.Root, "tests", "fixtures", "images");
    private static readonly MarkKey Key = MarkedSamples.TestKey(7);
    private static readonly MarkKey WrongKey = MarkedSamples.TestKey(8);
    private static readonly MarkKey CorpusKey = MarkKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray());

    [Fact]
    public void The_flat_gain_is_doubled_only_under_two_periods_a_side()
    {
        Assert.Equal(PerceptualMask.SmallImageFlatGain, PerceptualMask.FlatGainFor(256, 256));
        Assert.Equal(PerceptualMask.SmallImageFlatGain, PerceptualMask.FlatGainFor(4000, 511));
        Assert.Equal(PerceptualMask.FlatGain, PerceptualMask.FlatGainFor(512, 512));
        Assert.Equal(2 * PerceptualMask.FlatGain, PerceptualMask.SmallImageFlatGain, 12);
    }

    /// <summary>A 384 px sprite on transparency (a corpus fixture), stamped and saved in its own format (lossless
    /// WebP, which rewrites the colour under alpha 0) as the corpus table does: after JPEG q75 the flat areas' ±1
    /// chips are rounded away at the former flat gain and the mark is only present; at ±2 it reads.</summary>
    [Fact]
    public void A_384_px_transparent_sprite_reads_after_jpeg_q75_with_the_small_image_flat_gain()
    {
        const string file = "transparent-01-384x384.lossless.webp";
        // The corpus table's key and mark ID for this image (bench image-corpus): the mark is marginal at the
        // former gain, so whether it reads depends on the payload; this one is the measured miss.
        var id = MarkId.Compute(CorpusKey, "labelstamp-corpus", "transparent/" + file);
        var payload = MarkPayload.For(id, CorpusKey);
        var (original, marked) = StampedInOwnFormat(file, CorpusKey, payload, flatGain: null);
        var (_, before) = StampedInOwnFormat(file, CorpusKey, payload, flatGain: PerceptualMask.FlatGain);

        Assert.True(ImageQuality.Psnr(original, marked) >= 40.0);
        Assert.True(ImageQuality.SsimDisplayed(original, marked) >= 0.98);
        var now = ImageMarkDetector.Read(ImageAttackSuite.Jpeg(marked, 75), CorpusKey);
        Assert.True(now.Detection is { } d && d.MarkId == id, $"not read (T {now.PresenceStatistic:F1})");
        // The same image at the former flat gain: the case this change is for.
        Assert.Null(ImageMarkDetector.Read(ImageAttackSuite.Jpeg(before, 75), CorpusKey).Detection);
        Assert.False(ImageMarkDetector.Read(ImageAttackSuite.Jpeg(marked, 75), WrongKey).Present);
    }

    /// <summary>An all-black 384 px image (a corpus render is one): black clips the chips' negative half, and
    /// after JPEG q75 the pixel fold's strongest sync offset sits a pixel off the chip grid, so chip cells at that
    /// phase straddle the chips. The origin's phase reads.</summary>
    [Fact]
    public void A_black_384_px_image_reads_after_jpeg_q75_through_the_chip_means_at_the_origin_phase()
    {
        var black = new PixelBuffer(new byte[384 * 384 * 3], 384, 384, 3);
        // One of eight payloads tried (black-0 … black-7): a black image's mark is marginal after q75, and this
        // one's pixel peak is off the chip grid.
        var id = MarkId.Compute(Key, "fixture", "black-4");
        var watermark = new ImageWatermark();
        Assert.True(watermark.Embed(black, Key, id).Readable);

        var v = ImageMarkDetector.Read(ImageAttackSuite.Jpeg(black, 75), Key);
        Assert.True(v.Detection is { } d && d.MarkId == id, $"not read (T {v.PresenceStatistic:F1})");
        // Read at the origin: a whole number of chips from it, as the stamped file was.
        Assert.Equal((0, 0), (v.Detection!.OffsetX % ImageMarkLayout.Chip, v.Detection.OffsetY % ImageMarkLayout.Chip));
        Assert.True(v.Detection.FalsePositiveProbability <= ImageMarkDetector.MaxCandidates * FalsePositiveBound.CrcAndKeyNibblePass * 1.0001);
        Assert.Null(ImageMarkDetector.Read(ImageAttackSuite.Jpeg(black, 75), WrongKey).Detection);
    }

    /// <summary>The fixture decoded, marked under <paramref name="key"/> at <paramref name="flatGain"/> (null: the size's default), encoded in its
    /// own format and decoded again: the original pixels and the stamped file's.</summary>
    private static (PixelBuffer Original, PixelBuffer Stamped) StampedInOwnFormat(string file, MarkKey key, MarkPayload payload, double? flatGain)
    {
        byte[] input = File.ReadAllBytes(Path.Combine(Dir, file));
        MediaFormat format = MediaSniffer.Sniff(input, file);
        ImageHeader header = ImageHeader.Read(input, format, file);
        using DecodedImage decoded = ImageCodec.Decode(input, header, file);
        var original = new PixelBuffer((byte[])decoded.Pixels.Data.Clone(), decoded.Pixels.Width, decoded.Pixels.Height, decoded.Pixels.Bands);
        ImageMarkEmbedder.Embed(decoded.Pixels, key, payload, flatGain: flatGain);
        byte[] stamped = ImageCodec.Encode(decoded, header, new ImageEncodeOptions(), file);
        return (original, VipsPixels.Decode(stamped));
    }
}
