using LabelStamp.Marks.Image;
using LabelStamp.Media.Images;

namespace LabelStamp.Tests.Marks.Image;

/// <summary>
/// The headroom count's open-segment shortcut (<see cref="HeadroomSamples"/>) against the per-sample count it
/// replaces: the same 256 × 17 counts for every band layout, odd sizes (partial blocks on the right and at the
/// bottom), values on both sides of the 240 boundary, white at 255 and at 254 (alpha at any level must not count), and
/// both the whole count and the sparse one above 1 MP. The squared-delta cache gives what a fresh count gives.
/// Random images from fixed seeds (17 + band count).
/// </summary>
public sealed class HeadroomSamplesTests
{
    private const int Block = 8;

    /// <summary>Blocks of six kinds: dark, near white (230-255), one sample at exactly 239 or 240 among dark
    /// ones, dark colour under an opaque alpha, white (255) colour under any alpha, and white with one sample at 254.</summary>
    private static (PixelBuffer Image, byte[] Bins, int Bw) Random(int w, int h, int bands, int seed)
    {
        var rng = new Random(seed);
        byte[] px = new byte[w * h * bands];
        int bw = (w + Block - 1) / Block, bh = (h + Block - 1) / Block;
        byte[] bins = new byte[bw * bh];
        rng.NextBytes(bins);
        int[] kind = new int[bw * bh];
        for (int b = 0; b < kind.Length; b++) kind[b] = rng.Next(6);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < bands; c++)
                {
                    int k = kind[y / Block * bw + x / Block];
                    bool alpha = bands is 2 or 4 && c == bands - 1;
                    px[(y * w + x) * bands + c] = alpha ? (byte)(k == 3 ? 255 : rng.Next(256))
                        : k == 1 ? (byte)rng.Next(230, 256)
                        : k == 4 ? (byte)255
                        : k == 5 ? (byte)(rng.Next(30) == 0 ? 254 : 255)
                        : k == 2 && rng.Next(40) == 0 ? (byte)rng.Next(239, 241)
                        : (byte)rng.Next(0, 239);
                }
        return (new PixelBuffer(px, w, h, bands), bins, bw);
    }

    [Theory]
    [InlineData(37, 29, 1)]
    [InlineData(37, 29, 2)]
    [InlineData(37, 29, 3)]
    [InlineData(37, 29, 4)]
    [InlineData(64, 8, 3)]
    [InlineData(1, 1, 3)]
    [InlineData(1031, 1025, 3)]   // above 1 MP: the sparse count
    [InlineData(1027, 1029, 4)]
    [InlineData(1025, 1031, 1)]
    public void Open_segment_shortcut_counts_what_the_per_sample_loop_counts(int w, int h, int bands)
    {
        var (image, bins, bw) = Random(w, h, bands, 17 + bands);
        var fast = new HeadroomSamples(image, bins, bw, Block, skipOpenSegments: true);
        var reference = new HeadroomSamples(image, bins, bw, Block, skipOpenSegments: false);
        Assert.Equal(reference.Counts.ToArray(), fast.Counts.ToArray());
        // Not vacuous: both the open class and the near-white classes were counted.
        long open = 0, near = 0;
        for (int i = 0; i < fast.Counts.Length; i++)
            if (i % 17 == 16) open += fast.Counts[i]; else near += fast.Counts[i];
        Assert.True(w * h == 1 || (open > 0 && near > 0), $"open {open}, near-white {near}");
    }

    [Fact]
    public void Cached_squared_deltas_equal_fresh_ones_whatever_the_order_of_asking()
    {
        var (image, bins, bw) = Random(45, 39, 3, 5);
        var asked = new HeadroomSamples(image, bins, bw, Block);
        var rng = new Random(11);
        for (int i = 0; i < 4000; i++)
        {
            int bin = bins[rng.Next(bins.Length)];
            byte gain = (byte)rng.Next(0, 40);
            var fresh = new HeadroomSamples(image, bins, bw, Block);
            Assert.Equal(fresh.Share(bin, gain), asked.Share(bin, gain));
        }
    }
}
