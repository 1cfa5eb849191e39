using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;

namespace LabelStamp.Tests.Marks.Image;

/// <summary>
/// The key's layout and sync spectra made once and reused (<see cref="ImageMarkKeyMaterial"/>): reuse is
/// only for the very key object it was made for, and a watermark that switches keys embeds, checks and
/// reads each under its own key, the same pixels and the same verdicts as with everything made afresh.
/// </summary>
public sealed class ImageMarkKeyMaterialTests(MarkedSamples samples) : IClassFixture<MarkedSamples>
{
    [Fact]
    public void Material_is_reused_for_the_same_key_object_only()
    {
        MarkKey a = MarkedSamples.TestKey(31), sameBytes = MarkedSamples.TestKey(31), b = MarkedSamples.TestKey(32);
        var made = ImageMarkKeyMaterial.For(a);
        Assert.Same(made, ImageMarkKeyMaterial.Reuse(made, a));
        // Equal bytes in another object are not trusted to be equal (the bytes never leave MarkKey): made again.
        Assert.NotSame(made, ImageMarkKeyMaterial.Reuse(made, sameBytes));
        Assert.Same(b, ImageMarkKeyMaterial.Reuse(made, b).Key);
        Assert.Same(a, ImageMarkKeyMaterial.Reuse(null, a).Key);
    }

    [Fact]
    public void A_watermark_switching_keys_marks_and_reads_as_if_each_key_were_new()
    {
        var original = samples.Items[0].Original;
        var watermark = new ImageWatermark();
        MarkKey a = MarkedSamples.TestKey(41), b = MarkedSamples.TestKey(42);
        var id = new MarkId(0x5eed_0000_2308_0041);
        foreach (MarkKey key in new[] { a, b, a })
        {
            var pixels = new PixelBuffer((byte[])original.Data.Clone(), original.Width, original.Height, original.Bands);
            var fresh = new PixelBuffer((byte[])original.Data.Clone(), original.Width, original.Height, original.Bands);
            Assert.True(watermark.Embed(pixels, key, id).Readable);
            ImageMarkEmbedder.Embed(fresh, key, MarkPayload.For(id, key));
            Assert.Equal(fresh.Data, pixels.Data);
            Assert.True(ImageMarkDetector.ReadsBack(fresh, key, MarkPayload.For(id, key)));
            var read = watermark.Read(pixels, key);
            Assert.Equal(id, read.Reading?.MarkId);
            Assert.Equal(ImageMarkDetector.Read(fresh, key).PresenceStatistic, read.PresenceStatistic);
            // The other key sees no mark of its own in these pixels.
            Assert.Null(watermark.Read(pixels, key == a ? b : a).Reading);
        }
    }
}
