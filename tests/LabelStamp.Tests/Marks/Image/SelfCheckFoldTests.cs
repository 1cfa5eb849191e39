using LabelStamp.Marks.Image;
using LabelStamp.Media.Images;

namespace LabelStamp.Tests.Marks.Image;

/// <summary>
/// The self-check's fold in two passes (<see cref="SelfCheckFold"/>), through a whitened plane and without one, against
/// the detector's steps one after the other (luma plane, whitening of the whole region, the untouched fold over the
/// central 2,048 px at most): the same fold to the bit both ways, and through the plane the same whitened samples
/// wherever the fold reads, for RGB, RGBA with dithered and solid transparency,
/// grey and grey + alpha, odd sizes, and regions cut from images wider or taller than the 2,052 px the check reads
/// (whose fold window starts a sample in). Pixels are random over smooth gradients, fixed seeds.
/// </summary>
public class SelfCheckFoldTests
{
    private const int P = ImageMarkLayout.Period;
    private const int Region = 8 * P + 4;   // ReadsBack's region side at most (AnalysedSide + 2)

    public static TheoryData<int, int, int, int> Images() => new()
    {
        { 257, 263, 3, 1 },
        { 384, 384, 3, 2 },
        { 300, 411, 4, 3 },
        { 290, 256, 1, 4 },
        { 333, 301, 2, 5 },
        { 2101, 270, 3, 6 },     // wider than the region: a window from x = 2 to 2,050
        { 260, 2061, 4, 7 },     // taller, with alpha
        { 2053, 300, 3, 8 },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void FoldEqualsTheDetectorsStepsToTheBit(int width, int height, int bands, int seed) =>
        Check(width, height, bands, seed, throughPlane: true);

    /// <summary>Without the plane each band of eight rows is high-passed a second time (regions over 512², but the
    /// path takes any region): every fold cell is the same sum of the same samples in the same order.</summary>
    [Theory]
    [MemberData(nameof(Images))]
    public void FoldWithoutAPlaneEqualsTheDetectorsStepsToTheBit(int width, int height, int bands, int seed) =>
        Check(width, height, bands, seed, throughPlane: false);

    private static void Check(int width, int height, int bands, int seed, bool throughPlane)
    {
        var image = Pixels(width, height, bands, seed);
        int w = Math.Min(width, Region), h = Math.Min(height, Region);
        int x0 = (width - w) / 2, y0 = (height - h) / 2;

        float[] luma = new float[w * h], white = new float[w * h], expected = new float[P * P];
        ImageMarkDetector.Luma(image, luma, x0, y0, w, h);
        ImageMarkDetector.Whiten(luma, w, h, white, 0, 0, w, h);
        // The window FoldAndScore folds at scale 1 over a region whitened whole (2,048 = eight periods).
        int fx0 = Math.Max(1, (w - 2048) / 2), fx1 = Math.Min(w - 1, Math.Max(1, (w - 2048) / 2) + 2048);
        int fy0 = Math.Max(1, (h - 2048) / 2), fy1 = Math.Min(h - 1, Math.Max(1, (h - 2048) / 2) + 2048);
        ImageMarkDetector.FoldUntouched(white, w, fx0, fx1, fy0, fy1, x0, y0, expected);
        Assert.Equal((fx0, fx1, fy0, fy1), ImageMarkDetector.UntouchedFoldWindow(w, h));

        float[] luma2 = image.HasAlpha ? new float[w * h] : [], white2 = throughPlane ? new float[w * h] : [], actual = new float[P * P];
        Array.Fill(actual, 123f);   // the fold clears what it is given
        Array.Fill(white2, float.NaN);
        SelfCheckFold.Fold(image, x0, y0, w, h, luma2, white2, actual);

        Assert.Contains(expected, v => v != 0);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"fold cell {i}: detector {expected[i]:R}, self-check {actual[i]:R}");
        if (!throughPlane) return;
        for (int y = 1; y < h - 1; y++)
            for (int x = 1; x < w - 1; x++)
                Assert.True(BitConverter.SingleToInt32Bits(white[y * w + x]) == BitConverter.SingleToInt32Bits(white2[y * w + x]),
                    $"whitened ({x}, {y}): detector {white[y * w + x]:R}, self-check {white2[y * w + x]:R}");
    }

    /// <summary>Noise over a gradient; with alpha, a dithered band (alpha 0 and 255 mixed) and a solid transparent block.</summary>
    private static PixelBuffer Pixels(int width, int height, int bands, int seed)
    {
        var rng = new Random(seed);
        byte[] d = new byte[width * height * bands];
        int colour = bands is 1 or 2 ? 1 : 3;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int o = (y * width + x) * bands;
                for (int c = 0; c < colour; c++)
                    d[o + c] = (byte)Math.Clamp((x * 3 + y * (c + 1)) % 256 / 2 + rng.Next(-40, 41) + 64, 0, 255);
                if (colour < bands)
                {
                    bool dithered = y % 97 < 30 && rng.Next(2) == 0, solid = x % 131 < 40 && y % 113 < 40;
                    d[o + bands - 1] = (byte)(dithered || solid ? 0 : 255);
                }
            }
        return new PixelBuffer(d, width, height, bands);
    }
}
