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
