using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;
using LabelStamp.TestSupport;

namespace LabelStamp.Tests.Marks.Image;

/// <summary>
/// The rotation sweep (docs/watermark.md, detection step 5): a rotated copy whose lattice the autocorrelation
/// does not show (images of one or two periods a side) is found by folding each angle and scoring the keyed
/// sync statistic. The ±10° cases below are nine fixtures' copies the detector before the sweep did not read
/// (bench/WATERMARK.md, ninth step: 9 of 20 read before, 19 after), plus one angle between two sweep steps; the
/// embedder and the attack are deterministic.
/// </summary>
public sealed class RotationSweepTests
{
    private static readonly string Dir = Path.Combine(RepoPaths.Root, "tests", "fixtures", "images");
    private static readonly MarkKey Key = MarkedSamples.TestKey(7);
    private static readonly MarkKey WrongKey = MarkedSamples.TestKey(8);

    public static TheoryData<string, double> Cases() => new()
    {
        { "dark-00-256x256.jpg", 10 }, { "dark-00-256x256.jpg", -10 },
        { "photo-00-256x256.jpg", 10 }, { "photo-00-256x256.jpg", -10 },
        { "transparent-00-256x256.png", 10 }, { "transparent-00-256x256.png", -10 },
        { "render-01-384x384.jpg", 10 },
        { "transparent-01-384x384.lossless.webp", 10 }, { "transparent-01-384x384.lossless.webp", -10 },
        // Between two steps of the sweep (6° and 6.75°): the refolds at ± a third of a step take it.
        { "photo-00-256x256.jpg", -6.4 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_rotated_small_image_reads_through_the_sweep_and_not_under_a_wrong_key(string file, double degrees)
    {
        PixelBuffer marked = VipsPixels.Load(Path.Combine(Dir, file));
        var id = MarkId.Compute(Key, "fixture", file);
        var watermark = new ImageWatermark();
        Assert.True(watermark.Embed(marked, Key, id).Readable);
        PixelBuffer rotated = ImageAttackSuite.Rotate(marked, degrees);

        var verdict = ImageMarkDetector.Read(rotated, Key);
        Assert.True(verdict.Detection is { } d && d.MarkId == id, $"{file} {degrees}°: not read (T {verdict.PresenceStatistic:F1})");
        // The angle found is the attack's within the refold's third of a step (the sign follows the tile's axes).
        Assert.InRange(Math.Abs(verdict.Detection!.RotationDegrees), Math.Abs(degrees) - 0.5, Math.Abs(degrees) + 0.5);
        Assert.True(verdict.Detection.FalsePositiveProbability <= 12 * Math.Pow(2, -36) * 1.0001);

        var wrong = ImageMarkDetector.Read(rotated, WrongKey);
        Assert.Null(wrong.Detection);
        Assert.False(wrong.Present, $"{file} {degrees}°: present under a wrong key (T {wrong.PresenceStatistic:F1})");
    }

    [Fact]
    public void The_presence_bound_counts_the_sweep_only_where_it_can_run()
    {
        // 28 one-orientation checks and 3 more folds in two orientations: 56 oriented folds up to 1,100 px, 22 above;
        // under 512 px the untouched fold high-passed again adds one fold in two orientations (58).
        Assert.Equal(56, ImageMarkDetector.OrientedFoldsFor(1100, 4000));
        Assert.Equal(56, ImageMarkDetector.OrientedFoldsFor(512, 4000));
        Assert.Equal(58, ImageMarkDetector.OrientedFoldsFor(511, 4000));
        Assert.Equal(22, ImageMarkDetector.OrientedFoldsFor(1101, 1101));
        Assert.Equal(ImageMarkDetector.MaxOrientedFolds, ImageMarkDetector.OrientedFoldsFor(256, 256));
        // The thresholds they give: T ≥ 8.47 for small images, 8.36 as before for large ones.
        double small = ImageMarkSync.PresenceThreshold(1e-9, 56), large = ImageMarkSync.PresenceThreshold(1e-9, 22);
        Assert.InRange(small, 8.44, 8.48);
        Assert.InRange(large, 8.33, 8.37);
        Assert.InRange(ImageMarkSync.PresenceThreshold(1e-9, 58), 8.44, 8.48);
        Assert.Equal(17, ImageMarkDetector.MaxCandidates);
        Assert.True(FalsePositiveBound.ComputeWithKeyNibble(ImageMarkDetector.MaxCandidates) <= 1e-9);
    }
}
