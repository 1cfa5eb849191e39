using LabelStamp.Kernels;
using LabelStamp.Marks.Image;
using LabelStamp.Media.Images;

namespace LabelStamp.Tests.Marks.Image;

/// <summary>
/// The embed's tile pass (<see cref="ImageMarkEmbedder.AddTile"/>: chip rows expanded once, deltas per chip row, added
/// to its four rows) against the mark's definition sample by sample: x' = max(0, min(x, 255 − |d|) + d) with
/// d = round(±127 · gain / 256) from the chip at (y mod 256, x mod 256) and the gain of the pixel's 8 × 8 block, on colour
/// samples, alpha untouched. Every band layout, sizes narrower than a period and wider, widths and heights that are not
/// multiples of a chip, at every vector width. Random pixels, chips and gains from fixed seeds.
/// </summary>
public sealed class TilePassTests
{
    [Theory]
    [InlineData(1, 37, 29)]
    [InlineData(2, 37, 29)]
    [InlineData(3, 37, 29)]
    [InlineData(4, 37, 29)]
    [InlineData(3, 258, 7)]
    [InlineData(4, 513, 261)]
    [InlineData(3, 1, 1)]
    [InlineData(1, 255, 3)]
    public void Tile_pass_adds_each_samples_chip_at_its_blocks_gain(int bands, int w, int h)
    {
        var rng = new Random(31 + bands * 7 + w);
        byte[] px = new byte[w * h * bands];
        rng.NextBytes(px);
        for (int i = 0; i < px.Length; i += 5) px[i] = (byte)rng.Next(240, 256);   // near white, where the kernel lowers first
        sbyte[] chips = new sbyte[ImageMarkLayout.Chips];
        for (int c = 0; c < chips.Length; c++) chips[c] = rng.Next(2) == 0 ? (sbyte)-1 : (sbyte)1;
        int bw = (w + 7) / 8, bh = (h + 7) / 8;
        byte[] gains = new byte[bw * bh];
        for (int b = 0; b < gains.Length; b++) gains[b] = (byte)rng.Next(0, 40);
        int colour = bands is 2 or 4 ? bands - 1 : bands;
        byte[] expected = (byte[])px.Clone();
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int chip = chips[(y % ImageMarkLayout.Period) / ImageMarkLayout.Chip * ImageMarkLayout.ChipsPerSide
                    + (x % ImageMarkLayout.Period) / ImageMarkLayout.Chip];
                int gain = gains[y / 8 * bw + x / 8];
                int d = (int)Math.Floor((chip * 127 * gain + 128) / 256.0);
                for (int c = 0; c < colour; c++)
                {
                    int i = (y * w + x) * bands + c;
                    expected[i] = (byte)Math.Max(0, Math.Min((int)px[i], 255 - Math.Abs(d)) + d);
                }
            }
        int changed = 0;
        for (int i = 0; i < px.Length; i++) if (expected[i] != px[i]) changed++;
        Assert.True(w * h < 4 || changed > px.Length / 4, $"{changed} of {px.Length} samples move");
        foreach (VectorWidth width in new[] { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512 })
        {
            var image = new PixelBuffer((byte[])px.Clone(), w, h, bands);
            ImageMarkEmbedder.AddTile(image, chips, gains, width);
            Assert.Equal(expected, image.Data);
        }
    }
}
