using LabelStamp.Kernels;
using LabelStamp.Marks.Image;
using LabelStamp.Media.Images;

namespace LabelStamp.Tests.Marks.Image;

/// <summary>
/// The mask pass (<see cref="PerceptualMask.BlockBins"/>: both sampled row pairs in one kernel call, the per-block sums
/// unrolled, the whole blocks' quotient by an exact reciprocal) at every width against the per-sample definition: rows
/// 1 and 5 of each block (clamped to the last row pair), each colour sample's right and lower absolute differences over
/// the whole 8-sample groups that have a right-hand neighbour, ⌊8 · sum / counted samples⌋ capped at 255. Every band
/// layout, odd sizes (partial blocks, images one pixel wide or tall), and blocks of every activity up to saturation.
/// Random images from fixed seeds (41 + band count).
/// </summary>
public sealed class PerceptualMaskTests
{
    private const int Block = 8;

    private static byte[] ReferenceBins(PixelBuffer image)
    {
        int w = image.Width, h = image.Height, bands = image.Bands, colour = image.ColourBands;
        int bw = (w + Block - 1) / Block, bh = (h + Block - 1) / Block;
        int groups = (w - 1) * bands / 8, perBlock = bands;
        byte[] bins = new byte[bw * bh];
        if (h < 2 || groups <= 0) return bins;
        for (int by = 0; by < bh; by++)
            for (int bx = 0; bx < bw; bx++)
            {
                int g0 = bx * perBlock, g1 = Math.Min(groups, g0 + perBlock);
                long sum = 0;
                foreach (int r in new[] { 1, 5 })
                {
                    int y = Math.Min(by * Block + r, h - 2);
                    ReadOnlySpan<byte> row = image.Row(y), below = image.Row(y + 1);
                    for (int i = g0 * 8; i < g1 * 8; i++)
                    {
                        bool alpha = bands is 2 or 4 && i % bands == bands - 1;
                        if (!alpha) sum += Math.Abs(row[i + bands] - row[i]) + Math.Abs(below[i] - row[i]);
                    }
                }
                long samples = (long)Math.Max(0, g1 - g0) * 8 * colour / bands * 2;
                bins[by * bw + bx] = (byte)(samples == 0 ? 0 : Math.Min(255, sum * 8 / samples));
            }
        return bins;
    }

    [Theory]
    [InlineData(37, 29, 1)]
    [InlineData(37, 29, 2)]
    [InlineData(37, 29, 3)]
    [InlineData(37, 29, 4)]
    [InlineData(259, 31, 3)]
    [InlineData(256, 17, 4)]
    [InlineData(1, 9, 3)]
    [InlineData(2, 2, 3)]
    [InlineData(9, 1, 4)]
    [InlineData(3, 3, 1)]
    public void Bins_at_every_width_equal_the_per_sample_definition(int w, int h, int bands)
    {
        var rng = new Random(41 + bands);
        byte[] px = new byte[w * h * bands];
        int bw = (w + Block - 1) / Block, bh = (h + Block - 1) / Block;
        // Per block an amplitude from flat to saturated noise, so the bins cover 0 to 255.
        int[] amplitude = new int[bw * bh];
        for (int b = 0; b < amplitude.Length; b++) amplitude[b] = rng.Next(5) switch { 0 => 0, 1 => 3, 2 => 20, 3 => 90, _ => 256 };
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < bands; c++)
                {
                    int a = amplitude[y / Block * bw + x / Block];
                    px[(y * w + x) * bands + c] = (byte)Math.Clamp(128 + rng.Next(-a / 2, a / 2 + 1), 0, 255);
                }
        var image = new PixelBuffer(px, w, h, bands);
        byte[] expected = ReferenceBins(image);
        if (w >= 64 && h >= 16)
        {
            Assert.Contains(expected, b => b == 255);
            Assert.Contains(expected, b => b == 0);
        }
        foreach (VectorWidth width in new[] { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto })
        {
            byte[] actual = new byte[bw * bh];
            Array.Fill(actual, (byte)77);
            PerceptualMask.BlockBins(image, Block, actual, width);
            Assert.Equal(expected, actual);
        }
    }
}
