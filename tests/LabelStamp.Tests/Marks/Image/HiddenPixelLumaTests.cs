using LabelStamp.Kernels;
using LabelStamp.Marks.Image;
using LabelStamp.Media.Images;

namespace LabelStamp.Tests.Marks.Image;

/// <summary>
/// The detector's luma of RGBA pixels (<c>ImageMarkDetector.Luma</c>): a hidden pixel (alpha 0) with visible
/// 8-neighbours takes their mean luma, every other pixel keeps its own; the row and column skips that make it
/// cheap (opaque rows, hidden areas far from any visible pixel) must not change a value. Checked against the
/// rule written out plainly, on alpha patterns from a fixed seed (2316): opaque, dithered, large hidden areas,
/// hidden borders, over regions that start inside the image.
/// </summary>
public sealed class HiddenPixelLumaTests
{
    private static float[] Expected(PixelBuffer image, int x0, int y0, int w, int h)
    {
        float[] own = new float[w * h], result = new float[w * h];
        for (int y = 0; y < h; y++)
            LumaRow.ScalarReference(image.Data.AsSpan(((y0 + y) * image.Width + x0) * 4), 4, own.AsSpan(y * w, w));
        own.CopyTo(result, 0);
        bool Visible(int x, int y) => image.Data[((y0 + y) * image.Width + x0 + x) * 4 + 3] != 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                if (Visible(x, y)) continue;
                float sum = 0; int count = 0;
                for (int j = y - 1; j <= y + 1; j++)
                    for (int i = x - 1; i <= x + 1; i++)
                        if (j >= 0 && j < h && i >= 0 && i < w && Visible(i, j)) { sum += own[j * w + i]; count++; }
                if (count > 0) result[y * w + x] = sum / count;
            }
        return result;
    }

    [Fact]
    public void Hidden_pixels_take_their_visible_neighbours_mean_and_nothing_else_changes()
    {
        var rng = new Random(2316);
        const int W = 67, H = 41;
        foreach (string pattern in new[] { "opaque", "dithered", "hidden-left-half", "hidden-frame", "hidden-all" })
        {
            byte[] px = new byte[W * H * 4];
            rng.NextBytes(px);
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++)
                {
                    bool hidden = pattern switch
                    {
                        "opaque" => false,
                        "dithered" => rng.NextDouble() < 0.4,
                        "hidden-left-half" => x < W / 2 || (y > 30 && x < 60),
                        "hidden-frame" => x < 5 || y < 5 || x >= W - 5 || y >= H - 5,
                        _ => true,
                    };
                    px[(y * W + x) * 4 + 3] = hidden ? (byte)0 : (byte)(1 + rng.Next(255));
                }
            var image = new PixelBuffer(px, W, H, 4);
            foreach (var (x0, y0, w, h) in new[] { (0, 0, W, H), (3, 2, 50, 33), (1, 7, 66, 34) })
            {
                float[] actual = new float[w * h];
                ImageMarkDetector.Luma(image, actual, x0, y0, w, h);
                Assert.Equal(Expected(image, x0, y0, w, h), actual);
            }
        }
    }
}
