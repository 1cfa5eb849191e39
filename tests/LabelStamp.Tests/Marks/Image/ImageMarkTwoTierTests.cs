using LabelStamp.Labels;
using LabelStamp.Marks;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;
using LabelStamp.Verification;

namespace LabelStamp.Tests.Marks.Image;

/// <summary>The zero-bit tier: the presence statistic, its bound, and the found / present / not-found states.</summary>
public sealed class ImageMarkTwoTierTests(MarkedSamples samples) : IClassFixture<MarkedSamples>
{
    private const int P = ImageMarkLayout.Period;

    [Fact]
    public void Presence_bound_counts_every_oriented_fold_and_offset()
    {
        double t = ImageMarkSync.PresenceThreshold(1e-9, ImageMarkDetector.MaxOrientedFolds);
        Assert.InRange(ImageMarkSync.PresenceBound(t, ImageMarkDetector.MaxOrientedFolds), 0.999e-9, 1.001e-9);
        // folds · P² · exp(−t²/2), capped at 1.
        Assert.Equal(8.0 * P * P * Math.Exp(-50), ImageMarkSync.PresenceBound(10, 8), 1e-20);
        Assert.Equal(1.0, ImageMarkSync.PresenceBound(2, 8));
        Assert.True(ImageMarkSync.PresenceBound(9, 8) > ImageMarkSync.PresenceBound(9, 4));
        Assert.InRange(t, 8.0, 8.5);
    }

    /// <summary>The bound's premise, checked: over random keys (seed 23) the statistic of a fixed fold is
    /// normalised (mean square ≈ 1 over every offset) and its tail stays under Hoeffding's exp(−τ²/2).</summary>
    [Fact]
    public void Sync_statistic_of_a_foreign_fold_is_normalised_under_random_keys()
    {
        var rng = new Random(23);
        float[] fold = new float[P * P];
        // A structured fold, not white noise: smooth blobs plus noise, like an image's folded residual.
        for (int i = 0; i < fold.Length; i++)
            fold[i] = (float)(Math.Sin(i % P * 0.07) * 3 + Math.Cos(i / P * 0.05) * 2 + rng.NextDouble() - 0.5);
        float[] t = new float[P * P];
        double sumSq = 0, max = 0;
        long over3 = 0, cells = 0;
        for (int k = 0; k < 40; k++)
        {
            new ImageMarkSync(new ImageMarkLayout(MarkedSamples.TestKey(5000 + k))).Statistic(fold, t);
            foreach (float v in t)
            {
                sumSq += (double)v * v;
                max = Math.Max(max, v);
                if (v > 3) over3++;
                cells++;
            }
        }
        Assert.InRange(sumSq / cells, 0.85, 1.15);
        Assert.True((double)over3 / cells <= Math.Exp(-4.5), $"tail above 3: {(double)over3 / cells:e2}");
        Assert.True(max < ImageMarkSync.PresenceThreshold(1e-9, 1), $"max {max:F2}");
    }

    [Fact]
    public void Marked_image_is_found_with_both_probabilities()
    {
        var s = samples.Items[0];
        var v = ImageMarkDetector.Read(s.Marked, samples.Key);
        Assert.NotNull(v.Detection);
        Assert.Equal(s.Payload, v.Detection!.Payload);
        Assert.True(v.Present);
        Assert.True(v.PresenceFalsePositiveProbability <= 1e-9, $"presence p {v.PresenceFalsePositiveProbability:e2}");
        var finding = WatermarkFinding.From(new ImageWatermark().Read(s.Marked, samples.Key));
        Assert.Equal(LayerState.Found, finding.State);
        Assert.Contains("falsePositiveProbability", finding.Details!.Keys);
        Assert.Contains("presenceFalsePositiveProbability", finding.Details!.Keys);
    }

    /// <summary>A tile whose sync is intact but whose data chips carry no codeword (random coded bits, seed
    /// 41): the ID cannot be decoded, yet this key's mark is there — state present; another key: not found.</summary>
    [Fact]
    public void Sync_without_a_readable_id_is_present_and_only_under_its_key()
    {
        var s = samples.Items[1];
        PixelBuffer img = Crop(s.Original, 100, 100, 512, 512);
        var layout = new ImageMarkLayout(samples.Key);
        var rng = new Random(41);
        sbyte[] coded = new sbyte[PayloadCodec.CodedBits];
        for (int i = 0; i < coded.Length; i++) coded[i] = rng.Next(2) == 0 ? (sbyte)-1 : (sbyte)1;
        sbyte[] chips = layout.ChipValues(coded);
        for (int y = 0; y < img.Height; y++)
            for (int x = 0; x < img.Width; x++)
            {
                int d = 3 * chips[(y % P / ImageMarkLayout.Chip) * ImageMarkLayout.ChipsPerSide + x % P / ImageMarkLayout.Chip];
                for (int c = 0; c < img.ColourBands; c++)
                {
                    int o = y * img.Stride + x * img.Bands + c;
                    img.Data[o] = (byte)Math.Clamp(img.Data[o] + d, 0, 255);
                }
            }

        var v = new ImageWatermark().Read(img, samples.Key);
        Assert.Null(v.Reading);
        Assert.True(v.Present, $"presence p {v.PresenceFalsePositiveProbability:e2}");
        var finding = WatermarkFinding.From(v);
        Assert.Equal(LayerState.Present, finding.State);
        Assert.True(finding.CountsAsAiLabel);
        Assert.DoesNotContain("markId", finding.Details!.Keys);
        Assert.Equal("present", VerifyReportJson.StateName(finding.State));

        var other = new ImageWatermark().Read(img, MarkedSamples.TestKey(99));
        Assert.False(other.Present, $"wrong key: presence p {other.PresenceFalsePositiveProbability:e2}");
        Assert.Equal(LayerState.NotFound, WatermarkFinding.From(other).State);
    }

    [Fact]
    public void Flipped_and_rotated_10_degrees_are_read()
    {
        foreach (var s in samples.Items)
        {
            foreach (var (name, attacked) in new[]
            {
                ("flip", Robustness.ImageAttackSuite.FlipHorizontal(s.Marked)),
                ("+10°", Robustness.ImageAttackSuite.Rotate(s.Marked, 10)),
                ("-10°", Robustness.ImageAttackSuite.Rotate(s.Marked, -10)),
            })
            {
                var d = ImageMarkDetector.Detect(attacked, samples.Key);
                Assert.True(d is not null && d.Payload == s.Payload, $"{s.Name} {name}: not read");
                if (name == "flip") Assert.True(d!.Mirrored);
            }
        }
    }

    private static PixelBuffer Crop(PixelBuffer p, int x0, int y0, int w, int h)
    {
        byte[] d = new byte[w * h * p.Bands];
        for (int y = 0; y < h; y++) Array.Copy(p.Data, (y0 + y) * p.Stride + x0 * p.Bands, d, y * w * p.Bands, w * p.Bands);
        return new PixelBuffer(d, w, h, p.Bands);
    }
}
