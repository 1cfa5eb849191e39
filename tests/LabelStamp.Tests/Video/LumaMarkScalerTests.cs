using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;
using LabelStamp.Media.Video;

namespace LabelStamp.Tests.Video;

/// <summary>The factor-2 mark path (SIMD halving and spreading) gives exactly what the plain
/// definition gives: box-average 2 × 2, mark the half-size copy with the image embedder, add each
/// sample's change back to its block, clamped. Frame content: fixed seed 37 plus flat and saturated
/// patches so both clamps are exercised.</summary>
public class LumaMarkScalerTests
{
    [Theory]
    [InlineData(1920, 1080)]
    [InlineData(1034, 1026)] // rows that are not a multiple of any vector width
    public void Factor_two_equals_the_plain_definition(int w, int h)
    {
        var key = MarkKey.FromBytes(Enumerable.Range(3, 32).Select(i => (byte)i).ToArray());
        var payload = MarkPayload.For(new MarkId(0x1234_5678_9ABCUL), key);
        byte[] plane = new byte[w * h];
        new Random(37).NextBytes(plane);
        for (int y = 0; y < h / 4; y++)
        {
            plane.AsSpan(y * w, w / 3).Fill(255);
            plane.AsSpan(y * w + w / 2, w / 3).Fill(0);
        }
        byte[] expected = (byte[])plane.Clone();
        Reference(expected, w, h, key, payload, 4.0);

        new LumaMarkScaler(key, payload, 2, 4.0).Embed(plane, w, h);

        Assert.Equal(expected, plane);
        Assert.NotEqual(0, CountChanged(plane, w, h));
    }

    /// <summary>The flat-area gain decides whether flat areas carry the mark: a mid-grey area stays
    /// untouched with gain 0 and is marked with the image default, while a textured strip (noise, seed 11)
    /// is marked either way. The strip is narrow so the PSNR floor leaves the flat gain its effect.</summary>
    [Fact]
    public void Flat_area_gain_zero_leaves_flat_areas_unmarked_and_texture_marked()
    {
        const int w = 1280, h = 720, Edge = w * 15 / 16;
        var key = MarkKey.FromBytes(Enumerable.Range(5, 32).Select(i => (byte)i).ToArray());
        var payload = MarkPayload.For(new MarkId(42), key);
        byte[] original = new byte[w * h];
        var random = new Random(11);
        for (int y = 0; y < h; y++)
        {
            original.AsSpan(y * w, Edge).Fill(128);
            for (int x = Edge; x < w; x++) original[y * w + x] = (byte)random.Next(40, 216);
        }
        (int Flat, int Textured) Changed(double flatGain)
        {
            byte[] plane = (byte[])original.Clone();
            new LumaMarkScaler(key, payload, 2, 4.0, flatGain).Embed(plane, w, h);
            int flat = 0, textured = 0;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    if (plane[y * w + x] != original[y * w + x])
                    {
                        // Leave out the seam: a mask block (16 px at factor 2) beside the strip sees its edge as activity.
                        if (x < Edge - 32) flat++;
                        else if (x >= Edge + 32) textured++;
                    }
            return (flat, textured);
        }
        var none = Changed(0);
        var image = Changed(PerceptualMask.FlatGain);
        Assert.Equal(0, none.Flat);
        Assert.True(none.Textured > (w - Edge - 32) * h / 4, $"textured samples changed with flat gain 0: {none.Textured}");
        Assert.True(image.Flat > w * h / 8, $"flat samples changed with the image default: {image.Flat}");
        Assert.Throws<LabelStamp.Errors.LabelStampException>(() => new VideoLabelOptions { MarkFlatGain = -0.1 }.Validate());
    }

    private static void Reference(byte[] plane, int w, int h, MarkKey key, MarkPayload payload, double strength)
    {
        int sw = w / 2, sh = h / 2;
        byte[] small = new byte[sw * sh];
        for (int y = 0; y < sh; y++)
            for (int x = 0; x < sw; x++)
                small[y * sw + x] = (byte)((plane[2 * y * w + 2 * x] + plane[2 * y * w + 2 * x + 1]
                    + plane[(2 * y + 1) * w + 2 * x] + plane[(2 * y + 1) * w + 2 * x + 1] + 2) / 4);
        byte[] before = (byte[])small.Clone();
        ImageMarkEmbedder.Embed(new PixelBuffer(small, sw, sh, 1), key, payload, strength);
        for (int y = 0; y < sh; y++)
            for (int x = 0; x < sw; x++)
            {
                int d = small[y * sw + x] - before[y * sw + x];
                for (int dy = 0; dy < 2; dy++)
                    for (int dx = 0; dx < 2; dx++)
                    {
                        int o = (2 * y + dy) * w + 2 * x + dx;
                        plane[o] = (byte)Math.Clamp(plane[o] + d, 0, 255);
                    }
            }
    }

    // The mark did change the frame (so the equality above is not two no-ops).
    private static int CountChanged(byte[] marked, int w, int h)
    {
        byte[] original = new byte[w * h];
        new Random(37).NextBytes(original);
        for (int y = 0; y < h / 4; y++)
        {
            original.AsSpan(y * w, w / 3).Fill(255);
            original.AsSpan(y * w + w / 2, w / 3).Fill(0);
        }
        int changed = 0;
        for (int i = 0; i < original.Length; i++) if (original[i] != marked[i]) changed++;
        return changed;
    }
}
