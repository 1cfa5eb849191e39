using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;

namespace LabelStamp.Tests.Marks.Image;

/// <summary>
/// The untouched geometry read in 4 × 4 chip means (<see cref="ImageMarkChipFold"/>): a text page saved
/// again as lossy WebP q50 keeps the chip means while the pixel whitening keeps the codec's ringing around
/// every glyph. Synthetic pages from fixed seeds; the corpus figures are in bench/WATERMARK.md.
/// </summary>
public sealed class ChipMeanReadingTests
{
    private static readonly MarkKey Key = MarkedSamples.TestKey(23);

    /// <summary>A page of text on white (seeded): lines of thin dark strokes with grey antialiased edges over
    /// the left <paramref name="textShare"/> of the width, the rest blank, like the corpus's licence pages
    /// whose WebP q50 copies the pixel whitening lost.</summary>
    private static PixelBuffer TextPage(int w, int h, int seed, int spacing = 18, double textShare = 0.55)
    {
        var rng = new Random(seed);
        byte[] px = new byte[w * h * 3];
        Array.Fill(px, (byte)255);
        void Ink(int x, int y, byte v)
        {
            int o = (y * w + x) * 3;
            if (px[o] > v) px[o] = px[o + 1] = px[o + 2] = v;
        }
        int right = (int)(w * textShare);
        for (int line = 16; line + 12 < h - 16; line += spacing)
        {
            if (rng.Next(7) == 0) continue;                 // a blank line between paragraphs
            int end = right - rng.Next(0, right / 3);
            for (int x = 12; x < end;)
            {
                int gw = rng.Next(4, 8);
                for (int s = rng.Next(2, 4); s > 0; s--)
                {
                    if (rng.Next(2) == 0)
                    {
                        int sx = x + rng.Next(gw), top = line + rng.Next(0, 5);
                        for (int y = top; y < line + 10; y++) { Ink(sx, y, 35); Ink(sx + 1, y, 170); if (sx > 0) Ink(sx - 1, y, 200); }
                    }
                    else
                    {
                        int sy = line + rng.Next(3, 10);
                        for (int xx = x; xx < x + gw; xx++) { Ink(xx, sy, 35); Ink(xx, sy + 1, 180); }
                    }
                }
                x += gw + 2 + (rng.Next(5) == 0 ? 5 : 0);
            }
        }
        return new PixelBuffer(px, w, h, 3);
    }

    [Fact]
    public void A_text_page_after_webp_q50_reads_in_chip_means_where_the_pixel_whitening_does_not()
    {
        PixelBuffer page = TextPage(1024, 768, seed: 2301, spacing: 20);
        var payload = MarkPayload.For(MarkId.Compute(Key, "chip-means", "text page"), Key);
        ImageMarkEmbedder.Embed(page, Key, payload);
        Assert.True(ImageMarkDetector.ReadsBack(page, Key, payload), "the clean page must read at the untouched geometry");

        PixelBuffer attacked = ImageAttackSuite.Webp(page, 50);
        // The untouched geometry in pixels (the embedder's self-check, the detector's former last resort for an
        // unresized file) does not decode this copy ...
        Assert.False(ImageMarkDetector.ReadsBack(attacked, Key, payload), "the pixel whitening reads this copy: the test no longer shows the chip path");
        // ... the chip means do, at the untouched geometry.
        ImageMarkDetection? d = ImageMarkDetector.Detect(attacked, Key);
        Assert.True(d is not null, "not read after WebP q50");
        Assert.Equal(payload, d.Payload);
        Assert.Equal(1.0, d.Scale);
        Assert.Equal((0, 0), (d.OffsetX, d.OffsetY));
        Assert.True(d.FalsePositiveProbability <= FalsePositiveBound.DeclareThreshold);
        Assert.Null(ImageMarkDetector.Detect(attacked, MarkedSamples.TestKey(24)));
    }

    [Fact]
    public void Chip_fold_finds_the_tile_offset_and_phase_of_a_cropped_mark()
    {
        // The mark alone on mid grey, cropped by (9, 6) pixels: chip phase (3, 2), chip offset (−3, −2) mod 64.
        var layout = new ImageMarkLayout(Key);
        var payload = MarkPayload.For(MarkId.Compute(Key, "chip-means", "crop"), Key);
        sbyte[] chips = layout.ChipValues(PayloadCodec.Encode(payload));
        const int w = 600, h = 520, cropX = 9, cropY = 6;
        float[] luma = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int u = (x + cropX) % ImageMarkLayout.Period, v = (y + cropY) % ImageMarkLayout.Period;
                luma[y * w + x] = 128 + 2 * chips[v / 4 * ImageMarkLayout.ChipsPerSide + u / 4];
            }
        // Phase and offset as the detector sees them: the crop's tile offset is (−9, −6) mod 256.
        int dx = (ImageMarkLayout.Period - cropX) % ImageMarkLayout.Period, dy = (ImageMarkLayout.Period - cropY) % ImageMarkLayout.Period;
        float[]? fold = ImageMarkChipFold.Fold(luma, w, 1, 1, w - 1, h - 1, 0, 0, dx & 3, dy & 3);
        Assert.NotNull(fold);
        float[] t = new float[ImageMarkLayout.ChipsPerSide * ImageMarkLayout.ChipsPerSide];
        new ImageMarkChipFold(layout).Statistic(fold, t);
        int peak = Array.IndexOf(t, t.Max());
        Assert.Equal((dx >> 2, dy >> 2), (peak % ImageMarkLayout.ChipsPerSide, peak / ImageMarkLayout.ChipsPerSide));
        Assert.True(t[peak] > 20, $"T {t[peak]:F1}");
        Span<float> soft = stackalloc float[PayloadCodec.CodedBits];
        ImageMarkChipFold.SoftBits(fold, layout, dx >> 2, dy >> 2, soft);
        Assert.Equal(payload, PayloadCodec.Decode(soft)?.Payload);
    }

    [Fact]
    public void Chip_fold_in_vector_lanes_equals_the_cell_by_cell_loops_bit_for_bit()
    {
        // Luma with fractions (seed 2311) over odd region sizes, origins and every chip phase: the lanes change
        // the loops, never a value, so a read through the chip path is the same whatever the width.
        var rng = new Random(2311);
        foreach (var (w, h) in new[] { (23, 19), (61, 77), (259, 131), (1029, 41) })
        {
            float[] luma = new float[w * h];
            for (int i = 0; i < luma.Length; i++) luma[i] = (float)(0.299 * rng.Next(256) + 0.587 * rng.Next(256) + 0.114 * rng.Next(256));
            foreach (var width in new[] { LabelStamp.Kernels.VectorWidth.Scalar, LabelStamp.Kernels.VectorWidth.V128,
                LabelStamp.Kernels.VectorWidth.V256, LabelStamp.Kernels.VectorWidth.V512 })
                for (int phase = 0; phase < 4; phase++)
                {
                    int ox = rng.Next(300), oy = rng.Next(300);
                    float[]? expected = ImageMarkChipFold.FoldScalarReference(luma, w, 1, 2, w - 1, h - 1, ox, oy, phase, 3 - phase);
                    float[]? actual = ImageMarkChipFold.Fold(luma, w, 1, 2, w - 1, h - 1, ox, oy, phase, 3 - phase, width);
                    Assert.Equal(expected, actual);
                    if (w > 40 && h > 40) Assert.Contains(expected!, v => v != 0);
                }
        }
    }

    [Fact]
    public void Chip_statistic_of_a_fold_without_the_key_stays_in_its_null_distribution()
    {
        // A fixed structured fold (seed 77) scored under 100 keys: T is a Rademacher sum normalised by its own
        // deviation, so the mean of T² over offsets and keys is 1 and its tail obeys Hoeffding's exp(−τ²/2).
        var rng = new Random(77);
        float[] fold = new float[ImageMarkLayout.ChipsPerSide * ImageMarkLayout.ChipsPerSide];
        for (int i = 0; i < fold.Length; i++) fold[i] = (float)(Math.Sin(i * 0.37) * 0.5 + rng.NextDouble() - 0.5);
        float[] t = new float[fold.Length];
        double sumSq = 0;
        int above3 = 0, n = 0;
        for (int k = 0; k < 100; k++)
        {
            new ImageMarkChipFold(new ImageMarkLayout(MarkedSamples.TestKey(100 + k))).Statistic(fold, t);
            foreach (float v in t) { sumSq += v * v; if (v > 3) above3++; n++; }
        }
        Assert.InRange(sumSq / n, 0.85, 1.15);
        Assert.True(above3 <= n * Math.Exp(-4.5), $"{above3} of {n} above 3");
        // The chip folds' 2 × 4,096 offsets (the pixel peak's phase and the origin's) join the pixel folds' count in the union bound.
        Assert.Equal((22.0 * 65536 + 2 * 4096) * Math.Exp(-40.5), ImageMarkSync.PresenceBound(9, 22, ImageMarkDetector.ChipFoldOffsets), 1e-20);
    }

    [Fact]
    public void Chip_statistic_by_transform_equals_the_offset_by_offset_sum()
    {
        var rng = new Random(5);
        float[] fold = new float[ImageMarkLayout.ChipsPerSide * ImageMarkLayout.ChipsPerSide];
        for (int i = 0; i < fold.Length; i++) fold[i] = (float)(rng.NextDouble() * 4 - 2);
        var chipFold = new ImageMarkChipFold(new ImageMarkLayout(Key));
        float[] fast = new float[fold.Length], direct = new float[fold.Length];
        chipFold.Statistic(fold, fast);
        chipFold.StatisticDirect(fold, direct);
        for (int i = 0; i < fold.Length; i++) Assert.True(Math.Abs(fast[i] - direct[i]) < 1e-3, $"offset {i}: {fast[i]} against {direct[i]}");
    }
}
