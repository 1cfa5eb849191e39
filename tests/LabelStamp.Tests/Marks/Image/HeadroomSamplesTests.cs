using LabelStamp.Kernels;
using LabelStamp.Marks.Image;
using LabelStamp.Media.Images;

namespace LabelStamp.Tests.Marks.Image;

/// <summary>
/// The headroom count by the <see cref="HeadroomClasses"/> kernel (<see cref="HeadroomSamples"/>), at every width,
/// against the per-sample count it replaces: the same 256 × 17 counts for every band layout, odd sizes (partial blocks on the right and at the
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
    public void Kernel_count_at_every_width_counts_what_the_per_sample_loop_counts(int w, int h, int bands)
    {
        var (image, bins, bw) = Random(w, h, bands, 17 + bands);
        var reference = new HeadroomSamples(image, bins, bw, Block, perSample: true);
        foreach (VectorWidth width in new[] { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512 })
        {
            var fast = new HeadroomSamples(image, bins, bw, Block, perSample: false, width);
            Assert.Equal(reference.Counts.ToArray(), fast.Counts.ToArray());
        }
        // Not vacuous: both the open class and the near-white classes were counted.
        long open = 0, near = 0;
        for (int i = 0; i < reference.Counts.Length; i++)
            if (i % 17 == 16) open += reference.Counts[i]; else near += reference.Counts[i];
        Assert.True(w * h == 1 || (open > 0 && near > 0), $"open {open}, near-white {near}");
    }

    /// <summary>A whole-counted page (exactly 1 MP) of near-white blocks nearly all in one bin: each block brings up to
    /// 192 near samples, so the bin's 16-bit lanes go into the counts many times (every 341 blocks or sooner) and once
    /// more at the end; the counts must still be the per-sample loop's at every width.</summary>
    [Theory]
    [InlineData(3, 41)]
    [InlineData(4, 43)]
    public void Kernel_count_of_a_bin_with_more_near_samples_than_its_lanes_hold_counts_what_the_per_sample_loop_counts(int bands, int seed)
    {
        const int side = 1024;
        var rng = new Random(seed);
        byte[] px = new byte[side * side * bands];
        for (int i = 0; i < px.Length; i++) px[i] = (byte)(rng.Next(8) == 0 ? rng.Next(200, 240) : rng.Next(238, 256));
        int bw = side / Block;
        byte[] bins = new byte[bw * bw];
        for (int b = 0; b < bins.Length; b++) bins[b] = rng.Next(50) == 0 ? (byte)rng.Next(256) : (byte)7;
        var image = new PixelBuffer(px, side, side, bands);
        var reference = new HeadroomSamples(image, bins, bw, Block, perSample: true);
        foreach (VectorWidth width in new[] { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512 })
            Assert.Equal(reference.Counts.ToArray(), new HeadroomSamples(image, bins, bw, Block, perSample: false, width).Counts.ToArray());
        // Not vacuous: bin 7 holds far more near samples than one 16-bit lane can.
        long near7 = 0;
        for (int k = 0; k < 16; k++) near7 += reference.Counts[7 * 17 + k];
        Assert.True(near7 > 20 * ushort.MaxValue, $"bin 7 near-white samples {near7}");
    }

    [Theory]
    [InlineData(37, 29)]
    [InlineData(64, 8)]
    [InlineData(1, 1)]
    [InlineData(1031, 1025)]
    public void Pixels_per_bin_are_the_blocks_areas(int w, int h)
    {
        var (image, bins, bw) = Random(w, h, 3, 23);
        var samples = new HeadroomSamples(image, bins, bw, Block);
        long[] expected = new long[256];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) expected[bins[y / Block * bw + x / Block]]++;
        for (int bin = 0; bin < 256; bin++) Assert.Equal(expected[bin], samples.PixelsIn(bin));
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

    [Fact]
    public void Occupied_bin_sum_under_a_ceiling_equals_the_sum_over_every_bin()
    {
        var (image, bins, bw) = Random(61, 47, 3, 9);
        // Leave most bins empty, as on a real image.
        for (int b = 0; b < bins.Length; b++) bins[b] = (byte)(bins[b] % 40 * 3);
        var a = new HeadroomSamples(image, bins, bw, Block);
        var b2 = new HeadroomSamples(image, bins, bw, Block);
        double scale = 2.85;
        double[] own = new double[256];
        var occupied = new List<byte>();
        for (int bin = 0; bin < 256; bin++)
        {
            own[bin] = scale * PerceptualMask.GainOfBin(bin, PerceptualMask.FlatGain);
            if (a.Holds(bin)) occupied.Add((byte)bin);
        }
        Assert.InRange(occupied.Count, 2, 60);
        var rng = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            double ceiling = 1 + rng.NextDouble() * (scale * PerceptualMask.TextureGain - 1);   // every bin at ≥ ±1
            double every = a.MeanSquaredDelta(bin => ImageMarkEmbedder.GainOf(ceiling, own[bin]));
            Assert.Equal(every, b2.MeanSquaredDelta(ceiling, own, occupied.ToArray()));
            Assert.True(every > 0);
        }
    }
    [Fact]
    public void Psnr_ceiling_reusing_sums_per_rounded_ceiling_is_the_plain_bisections_to_the_bit()
    {
        var (image, bins, bw) = Random(61, 47, 3, 13);
        for (int b = 0; b < bins.Length; b++) bins[b] = (byte)(bins[b] % 64 * 4);
        int bisected = 0;
        foreach (double strength in new[] { 0.5, 1.0, 2.0, 5.0, 8.0 })
        {
            double scale = strength * ImageMarkEmbedder.BaseAmplitude, top = scale * PerceptualMask.TextureGain;
            double[] own = new double[256];
            var occupied = new List<byte>();
            var samples = new HeadroomSamples(image, bins, bw, Block);
            for (int bin = 0; bin < 256; bin++)
            {
                own[bin] = scale * PerceptualMask.GainOfBin(bin, PerceptualMask.FlatGain);
                if (samples.Holds(bin)) occupied.Add((byte)bin);
            }
            double full = samples.MeanSquaredDelta(top, own, occupied.ToArray());
            foreach (double share in new[] { 0.02, 0.1, 0.33, 0.5, 0.77, 0.95, 1.0, 1.5 })
            {
                double maxMse = share * full;
                double plain = ImageMarkEmbedder.PsnrCeiling(new HeadroomSamples(image, bins, bw, Block), own, occupied.ToArray(), top, maxMse, reuse: false);
                double reused = ImageMarkEmbedder.PsnrCeiling(samples, own, occupied.ToArray(), top, maxMse);
                Assert.Equal(BitConverter.DoubleToInt64Bits(plain), BitConverter.DoubleToInt64Bits(reused));
                if (plain < top) bisected++;
            }
        }
        Assert.True(bisected >= 25, $"{bisected} of 40 cases bisected");
    }

    [Theory]
    [InlineData(61, 47, 3, 29)]
    [InlineData(61, 47, 4, 31)]
    [InlineData(1031, 1025, 3, 37)]   // the sparse count
    public void Open_error_from_the_pixels_alone_bounds_the_counted_one_from_below_and_twice_it_from_above(int w, int h, int bands, int seed)
    {
        var (image, bins, bw) = Random(w, h, bands, seed);
        for (int b = 0; b < bins.Length; b++) bins[b] = (byte)(bins[b] % 64 * 4);
        var counted = new HeadroomSamples(image, bins, bw, Block);
        var pixelsOnly = HeadroomSamples.PixelsOnly(image, bins, bw, Block);
        double scale = ImageMarkEmbedder.BaseAmplitude;
        double[] own = new double[256];
        var occupied = new List<byte>();
        for (int bin = 0; bin < 256; bin++)
        {
            own[bin] = scale * PerceptualMask.GainOfBin(bin, PerceptualMask.FlatGain);
            Assert.Equal(counted.PixelsIn(bin), pixelsOnly.PixelsIn(bin));
            if (counted.Holds(bin)) occupied.Add((byte)bin);
        }
        byte[] ownGain = own.Select(o => ImageMarkEmbedder.GainOf(double.PositiveInfinity, o)).ToArray();
        for (int i = 0; i <= 400; i++)
        {
            double ceiling = i * scale * PerceptualMask.TextureGain / 400;
            double exact = counted.MeanSquaredDelta(ceiling, own, occupied.ToArray());
            double open = pixelsOnly.OpenMeanSquaredDelta(ceiling, own, occupied.ToArray());
            Assert.True(open <= exact && exact <= 2 * open, $"ceiling {ceiling}: open {open}, counted {exact}");
            Assert.Equal(open, counted.OpenMeanSquaredDelta(ceiling, own, occupied.ToArray()));
            Assert.Equal(open, pixelsOnly.OpenMeanSquaredDeltaAtCap(ImageMarkEmbedder.GainOf(ceiling, double.PositiveInfinity), ownGain, occupied.ToArray()));
        }
    }

    [Fact]
    public void Twice_the_open_error_is_the_count_itself_on_white_where_every_sample_is_clipped()
    {
        // Every sample at 255 (headroom 0) moves by 0 or by −2d: an expected 2d², the bound's own term.
        var (image, bins, bw) = Random(45, 39, 3, 43);
        Array.Fill(image.Data, (byte)255);
        var counted = new HeadroomSamples(image, bins, bw, Block);
        double[] own = new double[256];
        var occupied = new List<byte>();
        for (int bin = 0; bin < 256; bin++)
        {
            own[bin] = ImageMarkEmbedder.BaseAmplitude * PerceptualMask.GainOfBin(bin, PerceptualMask.FlatGain);
            if (counted.Holds(bin)) occupied.Add((byte)bin);
        }
        for (double ceiling = 1; ceiling < 10; ceiling += 0.25)   // from ±1: below, no delta
        {
            double exact = counted.MeanSquaredDelta(ceiling, own, occupied.ToArray());
            Assert.True(exact > 0);
            Assert.Equal(exact, 2 * counted.OpenMeanSquaredDelta(ceiling, own, occupied.ToArray()), 12);
        }
    }

    [Fact]
    public void A_count_not_yet_made_is_refused_not_read_as_zeros()
    {
        var (image, bins, bw) = Random(37, 29, 3, 41);
        var samples = HeadroomSamples.PixelsOnly(image, bins, bw, Block);
        int bin = bins[0];
        Assert.False(samples.Counted);
        Assert.Throws<InvalidOperationException>(() => samples.Share((byte)bin, 8));
        samples.CountClasses(image, bins);
        Assert.True(samples.Counted);
        Assert.Equal(new HeadroomSamples(image, bins, bw, Block).Share((byte)bin, 8), samples.Share((byte)bin, 8));
        Assert.Throws<ArgumentException>(() => HeadroomSamples.PixelsOnly(image, bins, bw, Block).CountClasses(image, bins[1..]));
    }

    [Theory]
    [InlineData(37, 29, 3)]
    [InlineData(37, 29, 4)]
    [InlineData(1, 1, 3)]
    [InlineData(515, 509, 3)]
    public void Half_depth_count_at_every_width_counts_what_the_per_sample_loop_counts_to_that_depth(int w, int h, int bands)
    {
        var (image, bins, bw) = Random(w, h, bands, 47 + bands);
        var reference = new HeadroomSamples(image, bins, bw, Block, perSample: true, depth: HeadroomSamples.HalfDepth);
        var full = new HeadroomSamples(image, bins, bw, Block);
        foreach (VectorWidth width in new[] { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512 })
        {
            var half = new HeadroomSamples(image, bins, bw, Block, perSample: false, width, HeadroomSamples.HalfDepth);
            Assert.Equal(HeadroomSamples.HalfDepth, half.Depth);
            Assert.Equal(reference.Counts.ToArray(), half.Counts.ToArray());
            // Exact for every delta up to its depth: the same shares as the full count.
            for (int bin = 0; bin < 256; bin++)
                for (byte gain = 0; gain <= 17; gain++)
                    Assert.Equal(full.Share(bin, gain), half.Share(bin, gain));
            int deep = bins.First(b => half.Holds(b));
            Assert.Throws<InvalidOperationException>(() => half.Share(deep, 18));   // ±9 levels
            // Counted again to the full depth when asked: then every delta is answered.
            half.CountClasses(image, bins, width, HeadroomSamples.FullDepth);
            Assert.Equal(full.Counts.ToArray(), half.Counts.ToArray());
            Assert.Equal(full.Share(deep, 18), half.Share(deep, 18));
        }
    }

    [Fact]
    public void Above_one_megapixel_the_sparse_count_keeps_every_class()
    {
        var (image, bins, bw) = Random(1031, 1025, 3, 53);
        var samples = new HeadroomSamples(image, bins, bw, Block, perSample: false, VectorWidth.Auto, HeadroomSamples.HalfDepth);
        Assert.Equal(HeadroomSamples.FullDepth, samples.Depth);
        Assert.Equal(new HeadroomSamples(image, bins, bw, Block).Counts.ToArray(), samples.Counts.ToArray());
    }

    /// <summary>Pages of text: white paper (exact 255, or JPEG-like 240-255 noise) with dark glyph strokes and grey
    /// anti-aliased edges, the images whose PSNR floor binds hardest (seeded).</summary>
    private static (PixelBuffer Image, byte[] Bins, int Bw) Page(int w, int h, bool noisyPaper, int seed)
    {
        var rng = new Random(seed);
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                bool stroke = (y / 6) % 3 == 1 && (x / 3 + y / 18) % 5 != 0;
                bool edge = !stroke && (y / 6) % 3 == 1;
                byte v = stroke ? (byte)rng.Next(10, 60) : edge ? (byte)rng.Next(120, 230) : noisyPaper ? (byte)rng.Next(240, 256) : (byte)255;
                px[(y * w + x) * 3] = px[(y * w + x) * 3 + 1] = px[(y * w + x) * 3 + 2] = v;
            }
        var image = new PixelBuffer(px, w, h, 3);
        int bw = (w + Block - 1) / Block, bh = (h + Block - 1) / Block;
        byte[] bins = new byte[bw * bh];
        PerceptualMask.BlockBins(image, Block, bins, VectorWidth.Auto);
        return (image, bins, bw);
    }

    [Theory]
    [InlineData(false, 61)]
    [InlineData(true, 67)]
    public void Gains_chosen_with_the_count_made_only_where_and_as_deep_as_needed_are_the_full_counts(bool noisyPaper, int seed)
    {
        var images = new List<(PixelBuffer Image, byte[] Bins, int Bw)> { Page(203, 197, noisyPaper, seed) };
        // And the seeded mixed blocks above (dark, near white, white under alpha), binned by their own activity.
        var (mixed, _, mbw) = Random(211, 173, 3, seed + 1);
        byte[] mixedBins = new byte[mbw * ((173 + Block - 1) / Block)];
        PerceptualMask.BlockBins(mixed, Block, mixedBins, VectorWidth.Auto);
        images.Add((mixed, mixedBins, mbw));
        // A flat grey field with a few blocks of strong texture: deltas of up to 10 levels where the floor does not bind,
        // so every class is counted.
        var rng = new Random(seed + 2);
        byte[] speckled = new byte[520 * 520 * 3];
        // 520 px: two periods a side, so flat areas get the ±1 of large images.
        for (int y = 0; y < 520; y++)
            for (int x = 0; x < 520; x++)
            {
                bool busy = (x / 8 * 31 + y / 8 * 17) % 29 == 0;
                byte v = busy ? (byte)rng.Next(0, 256) : (byte)(118 + rng.Next(3));
                speckled[(y * 520 + x) * 3] = speckled[(y * 520 + x) * 3 + 1] = speckled[(y * 520 + x) * 3 + 2] = v;
            }
        var speckledImage = new PixelBuffer(speckled, 520, 520, 3);
        int sbw = (520 + Block - 1) / Block;
        byte[] speckledBins = new byte[sbw * ((520 + Block - 1) / Block)];
        PerceptualMask.BlockBins(speckledImage, Block, speckledBins, VectorWidth.Auto);
        images.Add((speckledImage, speckledBins, sbw));
        int half = 0, skipped = 0, cases = 0;
        foreach (var (image, bins, bw) in images)
            foreach (double strength in new[] { 0.25, 0.5, 1.0, 2.0, 4.0, 8.0 })
            {
                cases++;
                double flat = PerceptualMask.FlatGainFor(image.Width, image.Height);
                byte[] lazy = new byte[256], full = new byte[256];
                ImageMarkEmbedder.ChooseGains(image, bins, bw, strength, flat, lazy);
                ImageMarkEmbedder.ChooseGains(image, bins, bw, strength, flat, full, VectorWidth.Auto, new HeadroomSamples(image, bins, bw, Block));
                Assert.Equal(full, lazy);
                // Which path the lazy choice took, from the same bounds it uses.
                var pixels = HeadroomSamples.PixelsOnly(image, bins, bw, Block);
                double scale = strength * ImageMarkEmbedder.BaseAmplitude;
                double[] own = Enumerable.Range(0, 256).Select(b => scale * PerceptualMask.GainOfBin(b, flat)).ToArray();
                byte[] occupied = Enumerable.Range(0, 256).Where(b => pixels.Holds(b)).Select(b => (byte)b).ToArray();
                byte[] ownGain = own.Select(o => ImageMarkEmbedder.GainOf(double.PositiveInfinity, o)).ToArray();
                double maxMse = 255.0 * 255.0 / Math.Pow(10, ImageMarkEmbedder.MinimumPsnr / 10), top = scale * PerceptualMask.TextureGain;
                if (2 * pixels.OpenMeanSquaredDelta(top, own, occupied) <= maxMse) skipped++;
                else if (ImageMarkEmbedder.DepthNeeded(pixels, ownGain, occupied, top, maxMse) <= HeadroomSamples.HalfDepth) half++;
            }
        // Both shortcuts are exercised, and at least one case counts every class.
        Assert.True(half >= 2 && skipped >= 1 && half + skipped < cases, $"half {half}, skipped {skipped} of {cases}");
    }
}
