using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;
using LabelStamp.TestSupport;

namespace LabelStamp.Tests.Marks.Image;

/// <summary>
/// The read's first decode is the untouched fold at offset (0, 0), where a stamped file that kept its frame holds the
/// tile: it decides there without the sync search's transforms, and the stamp's self-check, which meets only such
/// pixels, decides there too. A frame whose tile moved (a crop) reads as before, one decode later. Folds from fixed seeds
/// (41-44); images from tests/fixtures/images (development-corpus crops).
/// </summary>
public sealed class OriginDecodeTests(MarkedSamples samples) : IClassFixture<MarkedSamples>
{
    private const int P = ImageMarkLayout.Period;
    private static readonly string Dir = Path.Combine(RepoPaths.Root, "tests", "fixtures", "images");

    [Fact]
    public void The_statistic_at_the_origin_is_the_transforms_value_at_offset_zero()
    {
        var layout = new ImageMarkLayout(MarkedSamples.TestKey(41));
        var sync = new ImageMarkSync(layout);
        float[] pattern = layout.SyncPattern();
        // Noise alone (the null: |T| of a few units) and noise carrying the sync pattern at offset 0 (T in the tens).
        foreach (var (seed, amplitude) in new[] { (42, 0f), (43, 0.05f), (44, 0.3f) })
        {
            var rng = new Random(seed);
            float[] fold = new float[P * P], t = new float[P * P];
            for (int i = 0; i < fold.Length; i++) fold[i] = (float)(rng.NextDouble() - 0.5) + amplitude * pattern[i];
            sync.Statistic(fold, t);
            double direct = ImageMarkDetector.SyncStatisticAtOrigin(fold, layout);
            Assert.True(Math.Abs(direct - t[0]) <= 1e-3 + 1e-4 * Math.Abs(direct), $"seed {seed}: {direct} against the transforms' {t[0]}");
            if (amplitude >= 0.3f) Assert.True(direct > 20, $"seed {seed}: {direct}");
            if (amplitude == 0f) Assert.True(Math.Abs(direct) < 6, $"seed {seed}: {direct}");
        }
    }

    public static TheoryData<string> Fixtures() => new() { "text-00-256x256.png", "illustration-02-512x512.jpg", "dark-28-832x1216.webp" };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void A_frame_that_keeps_its_tile_decides_at_the_origin_and_a_moved_tile_one_decode_later(string file)
    {
        PixelBuffer marked = VipsPixels.Load(Path.Combine(Dir, file));
        var id = MarkId.Compute(samples.Key, "fixture", file);
        Assert.True(new ImageWatermark().Embed(marked, samples.Key, id).Readable);
        var material = ImageMarkKeyMaterial.For(samples.Key);

        var clean = ImageMarkDetector.Read(marked, material, out int autocorrelations);
        Assert.Equal(id, clean.Detection?.MarkId);
        Assert.Equal((1, 0, 0, false), (clean.Detection!.CandidatesTried, clean.Detection.OffsetX, clean.Detection.OffsetY, clean.Detection.Mirrored));
        Assert.Equal(0, autocorrelations);
        // The statistic reported is T(0), the same offset the presence bound counts.
        Assert.True(clean.Present && clean.PresenceStatistic == clean.Detection.SyncZScore && clean.PresenceStatistic > 10,
            $"{file}: T {clean.PresenceStatistic:F2}, z {clean.Detection.SyncZScore:F2}");
        Assert.Equal(ImageMarkSync.PresenceBound(clean.PresenceStatistic, clean.OrientedFoldsBound, ImageMarkDetector.ChipFoldOffsets),
            clean.PresenceFalsePositiveProbability);

        // Seven columns and five rows put before the left and top (copies of the edge, so no side falls under the
        // detector's minimum): the tile moves by (7, 5), the origin's decode fails, and the sync search finds the tile at
        // that offset in the same fold.
        PixelBuffer moved = Pad(marked, 7, 5);
        var shifted = ImageMarkDetector.Read(moved, material);
        Assert.Equal(id, shifted.Detection?.MarkId);
        Assert.InRange(shifted.Detection!.CandidatesTried, 2, 3);
        Assert.Equal((7, 5), (shifted.Detection.OffsetX, shifted.Detection.OffsetY));

        // The self-check of the marked pixels decides at the origin, like the read, with the same statistic.
        var margin = ImageMarkDetector.SelfCheck(marked, material, MarkPayload.For(id, samples.Key));
        Assert.True(margin.Reads);
        Assert.Equal(clean.Detection.SyncZScore, margin.SyncStatistic);
        Assert.Equal(clean.Detection.BitErrorsCorrected, margin.BitErrors);
    }

    [Fact]
    public void No_origin_decode_is_declared_under_a_wrong_key_or_on_unmarked_pixels()
    {
        PixelBuffer original = VipsPixels.Load(Path.Combine(Dir, "illustration-02-512x512.jpg"));
        var marked = new PixelBuffer((byte[])original.Data.Clone(), original.Width, original.Height, original.Bands);
        var id = MarkId.Compute(samples.Key, "fixture", "origin");
        Assert.True(new ImageWatermark().Embed(marked, samples.Key, id).Readable);
        for (int k = 0; k < 4; k++)
        {
            var wrong = ImageMarkDetector.Read(marked, ImageMarkKeyMaterial.For(MarkedSamples.TestKey(600 + k)));
            Assert.Null(wrong.Detection);
            Assert.False(wrong.Present, $"key {600 + k}: T {wrong.PresenceStatistic:F2}");
            Assert.False(ImageMarkDetector.SelfCheck(marked, ImageMarkKeyMaterial.For(MarkedSamples.TestKey(600 + k)),
                MarkPayload.For(id, samples.Key)).Reads);
        }
        var unmarked = ImageMarkDetector.Read(original, ImageMarkKeyMaterial.For(samples.Key));
        Assert.Null(unmarked.Detection);
        Assert.False(unmarked.Present);
    }

    /// <summary>The image with <paramref name="left"/> copies of its first column and <paramref name="top"/> of its first row
    /// put before it.</summary>
    private static PixelBuffer Pad(PixelBuffer image, int left, int top)
    {
        int w = image.Width + left, h = image.Height + top, bands = image.Bands;
        byte[] data = new byte[w * h * bands];
        for (int y = 0; y < h; y++)
        {
            int sy = Math.Max(0, y - top);
            for (int x = 0; x < w; x++)
                image.Data.AsSpan((sy * image.Width + Math.Max(0, x - left)) * bands, bands).CopyTo(data.AsSpan((y * w + x) * bands));
        }
        return new PixelBuffer(data, w, h, bands);
    }
}
