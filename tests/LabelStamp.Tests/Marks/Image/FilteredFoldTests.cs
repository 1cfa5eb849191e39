using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;
using LabelStamp.TestSupport;

namespace LabelStamp.Tests.Marks.Image;

/// <summary>
/// The untouched fold read twice more on images under two periods a side (bench/WATERMARK.md, eleventh step):
/// high-passed again (<see cref="FoldHighPass"/>) and with each chip's sum limited to the rms of all of them. The fixtures (tests/fixtures/textured) are two textured corpus images
/// whose JPEG q75 copy the plain fold does not read (the previous build missed both; measured with image-diagnose);
/// the embedder, the codecs and the keys are deterministic (the corpus table's key and mark IDs, wrong key seed 8).
/// </summary>
public sealed class FilteredFoldTests
{
    private const int P = ImageMarkLayout.Period;
    private static readonly string Dir = Path.Combine(RepoPaths.Root, "tests", "fixtures", "textured");
    private static readonly MarkKey CorpusKey = MarkKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray());
    private static readonly MarkKey WrongKey = MarkedSamples.TestKey(8);

    [Fact]
    public void The_high_pass_is_the_fold_minus_its_cyclic_three_by_three_mean()
    {
        var rng = new Random(11);
        float[] fold = new float[P * P];
        for (int i = 0; i < fold.Length; i++) fold[i] = (float)(rng.NextDouble() * 10 - 5);
        float[] output = new float[P * P], rows = new float[P * P];
        FoldHighPass.Apply(fold, rows, output);
        // Every sample, the wrapped edges and corners included, against the nine-neighbour sum taken directly.
        for (int y = 0; y < P; y++)
            for (int x = 0; x < P; x++)
            {
                double s = 0;
                for (int j = -1; j <= 1; j++)
                    for (int i = -1; i <= 1; i++) s += fold[((y + j + P) % P) * P + (x + i + P) % P];
                Assert.True(Math.Abs(output[y * P + x] - (fold[y * P + x] - s / 9)) < 1e-4, $"({x}, {y})");
            }
        // A constant fold has nothing left; a single spike keeps 8/9 of itself and gives −1/9 to each neighbour.
        Array.Fill(fold, 3f);
        FoldHighPass.Apply(fold, rows, output);
        Assert.All(output, v => Assert.True(Math.Abs(v) < 1e-5));
        Array.Clear(fold);
        fold[0] = 9f;
        FoldHighPass.Apply(fold, rows, output);
        Assert.Equal(8f, output[0], 5);
        Assert.Equal(-1f, output[P - 1], 5);              // the left neighbour, wrapped
        Assert.Equal(-1f, output[(P - 1) * P + P - 1], 5); // the upper-left neighbour, wrapped both ways
        Assert.Equal(0f, output[2], 5);
    }

    [Fact]
    public void Limited_soft_bits_cap_each_chip_at_the_rms_of_all_chip_sums()
    {
        var layout = new ImageMarkLayout(CorpusKey);
        var rng = new Random(12);
        // Every chip's 16 samples equal (a chip sum of 16·v), offset (0, 0): v = ±1 everywhere but one chip at 40.
        float[] fold = new float[P * P];
        const int cps = ImageMarkLayout.ChipsPerSide, chip = ImageMarkLayout.Chip;
        float[] perChip = new float[ImageMarkLayout.Chips];
        for (int c = 0; c < perChip.Length; c++) perChip[c] = rng.Next(2) == 0 ? -1f : 1f;
        int outlier = Array.FindIndex(layout.BitOfChip, b => b >= 0);
        perChip[outlier] = 40f;
        for (int c = 0; c < perChip.Length; c++)
            for (int ky = 0; ky < chip; ky++)
                for (int kx = 0; kx < chip; kx++) fold[(c / cps * chip + ky) * P + c % cps * chip + kx] = perChip[c];
        float[] plain = new float[PayloadCodec.CodedBits], limited = new float[PayloadCodec.CodedBits];
        ImageMarkDetector.SoftBits(fold, layout, 0, 0, plain);
        ImageMarkDetector.LimitedSoftBits(fold, layout, 0, 0, 1f, limited);
        // The rms of the chip sums: 16 · √((4,095 + 1,600) / 4,096).
        double rms = 16 * Math.Sqrt((4095 + 1600) / 4096.0);
        int bit = layout.BitOfChip[outlier];
        // Every bit without the outlier is the same sum (each ±16 chip is under the limit); the outlier's bit loses
        // 16 · 40 − rms of it.
        for (int b = 0; b < plain.Length; b++)
        {
            double expected = b == bit ? plain[b] - layout.Signs[outlier] * (16 * 40 - rms) : plain[b];
            Assert.True(Math.Abs(expected - limited[b]) < 1e-2, $"bit {b}: {limited[b]} against {expected}");
        }
    }

    [Fact]
    public void The_filtered_fold_is_counted_only_under_two_periods_a_side()
    {
        Assert.Equal(ImageMarkDetector.MaxCandidates, ImageMarkDetector.CandidatesFor(256, 511));
        Assert.Equal(13, ImageMarkDetector.CandidatesFor(512, 512));
        Assert.Equal(13, ImageMarkDetector.CandidatesFor(4000, 3000));
        // 17 decodes (the origin's, the filtered fold's two and the limited chips' two) keep the ID bound under 1e-9:
        // 17 · 2⁻³⁶ ≈ 2.47e-10.
        Assert.Equal(17, ImageMarkDetector.MaxCandidates);
        Assert.InRange(FalsePositiveBound.ComputeWithKeyNibble(ImageMarkDetector.MaxCandidates), 2.46e-10, 2.48e-10);
        Assert.Equal(ImageMarkDetector.OrientedFoldsFor(512, 512) + 2, ImageMarkDetector.OrientedFoldsFor(384, 384));
    }

    /// <summary>A canvas painting (lossy WebP q90) and a noisy dark wallpaper (JPEG q85), stamped and saved in their own
    /// format, then JPEG q75: the origin's decode and the plain untouched fold's two fail (the read comes from the fourth
    /// or fifth candidate, the filtered fold's), the filtered fold reads the right ID, nothing reads under a wrong key.</summary>
    [Theory]
    [InlineData("painting-43.webp")]
    [InlineData("dark-12-q85.jpg")]
    public void A_textured_256_px_image_reads_after_jpeg_q75_through_the_filtered_fold(string file)
    {
        var id = MarkId.Compute(CorpusKey, "labelstamp-corpus", file);
        var (original, marked, stamped, readable) = StampedInOwnFormat(file, id);
        Assert.True(readable, $"{file}: self-check failed");
        // The mark alone (before the own-format encode) stays within the fidelity floor.
        Assert.True(ImageQuality.Psnr(original, marked) >= 40.0);
        Assert.True(ImageQuality.SsimDisplayed(original, marked) >= 0.98);

        var attacked = ImageAttackSuite.Jpeg(stamped, 75);
        var v = ImageMarkDetector.Read(attacked, CorpusKey);
        Assert.True(v.Detection is { } d && d.MarkId == id, $"{file}: not read (T {v.PresenceStatistic:F1})");
        Assert.InRange(v.Detection!.CandidatesTried, 4, 5);
        Assert.Equal((1.0, 0.0), (v.Detection.Scale, v.Detection.RotationDegrees));
        Assert.True(v.Detection.FalsePositiveProbability <= ImageMarkDetector.MaxCandidates * FalsePositiveBound.CrcAndKeyNibblePass * 1.0001);

        var wrong = ImageMarkDetector.Read(attacked, WrongKey);
        Assert.Null(wrong.Detection);
        Assert.False(wrong.Present, $"{file}: present under a wrong key (T {wrong.PresenceStatistic:F1})");
        Assert.Null(ImageMarkDetector.Read(ImageAttackSuite.Jpeg(original, 75), CorpusKey).Detection);
    }

    /// <summary>A 256 px text page (the corpus's text-00, also a fixture in tests/fixtures/images), stamped as PNG with the
    /// corpus table's ID, then JPEG q75: neither the plain fold (at the origin and its two peaks) nor the filtered one reads
    /// it (five decodes), the limited chips at the plain fold's peaks do (the sixth or seventh decode).</summary>
    [Fact]
    public void A_256_px_text_page_reads_after_jpeg_q75_through_the_limited_chips()
    {
        string dir = Path.Combine(RepoPaths.Root, "tests", "fixtures", "images");
        var id = MarkId.Compute(CorpusKey, "labelstamp-corpus", "text/text-00-256x256.png");
        var (_, _, stamped, readable) = StampedInOwnFormat(Path.Combine(dir, "text-00-256x256.png"), id);
        Assert.True(readable);
        var attacked = ImageAttackSuite.Jpeg(stamped, 75);
        var v = ImageMarkDetector.Read(attacked, CorpusKey);
        Assert.True(v.Detection is { } d && d.MarkId == id, $"not read (T {v.PresenceStatistic:F1})");
        Assert.InRange(v.Detection!.CandidatesTried, 6, 7);
        Assert.True(v.Detection.FalsePositiveProbability <= ImageMarkDetector.MaxCandidates * FalsePositiveBound.CrcAndKeyNibblePass * 1.0001);
        var wrong = ImageMarkDetector.Read(attacked, WrongKey);
        Assert.Null(wrong.Detection);
        Assert.False(wrong.Present);
    }

    /// <summary>The dark wallpaper's stamped file itself (its own JPEG q85) reads only through the filtered fold, so the
    /// embedder's self-check, which tries the same untouched geometry, now passes where it said "not applied".</summary>
    [Fact]
    public void The_self_check_takes_the_filtered_fold_too()
    {
        const string file = "dark-12-q85.jpg";
        var id = MarkId.Compute(CorpusKey, "labelstamp-corpus", file);
        var (_, _, stamped, readable) = StampedInOwnFormat(file, id);
        Assert.True(readable);
        var v = ImageMarkDetector.Read(stamped, CorpusKey);
        Assert.True(v.Detection is { } d && d.MarkId == id, $"not read (T {v.PresenceStatistic:F1})");
        Assert.InRange(v.Detection!.CandidatesTried, 4, 5);
        Assert.True(ImageMarkDetector.ReadsBack(stamped, CorpusKey, MarkPayload.For(id, CorpusKey)));
    }

    /// <summary>The fixture decoded, stamped as `stamp` does (embed, self-check), encoded in its own format and decoded
    /// again: the original pixels, the marked pixels before the encode, the stamped file's, and whether the self-check passed.</summary>
    private static (PixelBuffer Original, PixelBuffer Marked, PixelBuffer Stamped, bool Readable) StampedInOwnFormat(string file, MarkId id)
    {
        // A bare name is a textured fixture; a path is read as given.
        string path = Path.IsPathRooted(file) ? file : Path.Combine(Dir, file);
        byte[] input = File.ReadAllBytes(path);
        MediaFormat format = MediaSniffer.Sniff(input, file);
        ImageHeader header = ImageHeader.Read(input, format, file);
        using DecodedImage decoded = ImageCodec.Decode(input, header, file);
        var original = new PixelBuffer((byte[])decoded.Pixels.Data.Clone(), decoded.Pixels.Width, decoded.Pixels.Height, decoded.Pixels.Bands);
        bool readable = new ImageWatermark().Embed(decoded.Pixels, CorpusKey, id).Readable;
        var marked = new PixelBuffer((byte[])decoded.Pixels.Data.Clone(), decoded.Pixels.Width, decoded.Pixels.Height, decoded.Pixels.Bands);
        byte[] stamped = ImageCodec.Encode(decoded, header, new ImageEncodeOptions(), file);
        return (original, marked, VipsPixels.Decode(stamped), readable);
    }
}
