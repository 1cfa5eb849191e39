using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;
using LabelStamp.TestSupport;

namespace LabelStamp.Tests.Marks.Image;

/// <summary>
/// The read's order (docs/watermark.md, detection): the untouched geometry (scale 1, no rotation) is decoded before
/// any autocorrelation, so a stamped file read as it was, re-encoded or cropped decides without the lattice search,
/// while a resized copy still reads through the lattice after the untouched decodes fail. The presence bound counts
/// the folds a read may make by the image's size, so it is the same for a read that stops early and one that searches
/// everything.
/// </summary>
public sealed class UntouchedFirstTests(MarkedSamples samples) : IClassFixture<MarkedSamples>
{
    private static readonly string Dir = Path.Combine(RepoPaths.Root, "tests", "fixtures", "images");

    /// <summary>A fixture under the small-image side (512², where the untouched geometry always came first) and two above
    /// it (where the lattice decode came first before this order).</summary>
    public static TheoryData<string> Fixtures() => new() { "illustration-02-512x512.jpg", "dark-28-832x1216.webp", "illustration-33-3840x2160.webp" };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void A_read_that_decides_at_the_untouched_geometry_computes_no_autocorrelation(string file)
    {
        PixelBuffer marked = VipsPixels.Load(Path.Combine(Dir, file));
        var id = MarkId.Compute(samples.Key, "fixture", file);
        Assert.True(new ImageWatermark().Embed(marked, samples.Key, id).Readable);
        var material = ImageMarkKeyMaterial.For(samples.Key);
        foreach (var (name, pixels) in new[]
        {
            ("clean", marked),
            ("jpeg q75", ImageAttackSuite.Jpeg(marked, 75)),
            // A crop keeps scale and angle; its tile phase moves, which the sync search finds in the same fold.
            ("crop 50%", ImageAttackSuite.Crop(marked, 0.5, 0.3, 0.7)),
        })
        {
            var v = ImageMarkDetector.Read(pixels, material, out int autocorrelations);
            Assert.True(v.Detection is { } d && d.MarkId == id, $"{file} {name}: not read (T {v.PresenceStatistic:F1})");
            Assert.Equal(0, autocorrelations);
            Assert.Equal(1.0, v.Detection!.Scale);
            Assert.Equal(0.0, v.Detection.RotationDegrees);
            // The untouched pixel fold at the origin's offset is every read's first decode, and decides a file that keeps
            // its tile where the stamp put it; a crop moves the tile, and its sync peaks are the next two decodes.
            if (name == "crop 50%") Assert.InRange(v.Detection.CandidatesTried, 2, 3);
            else Assert.Equal((1, 0, 0), (v.Detection.CandidatesTried, v.Detection.OffsetX, v.Detection.OffsetY));
            Assert.Equal(ImageMarkDetector.OrientedFoldsFor(pixels.Width, pixels.Height), v.OrientedFoldsBound);
        }
    }

    [Fact]
    public void A_resized_copy_reads_through_the_lattice_after_the_untouched_decodes()
    {
        var material = ImageMarkKeyMaterial.For(samples.Key);
        foreach (var s in samples.Items)
        {
            foreach (double scale in new[] { 0.75, 1.5 })
            {
                PixelBuffer resized = ImageAttackSuite.Resize(s.Marked, scale);
                var v = ImageMarkDetector.Read(resized, material, out int autocorrelations);
                Assert.True(v.Detection is { } d && d.Payload == s.Payload, $"{s.Name} {scale}x: not read (T {v.PresenceStatistic:F1})");
                Assert.True(autocorrelations >= 1, $"{s.Name} {scale}x: read without a lattice search");
                Assert.InRange(v.Detection!.Scale, scale * 0.98, scale * 1.02);
                // Three decodes at least (the untouched fold's at the origin and at its two peaks) came before the one that read.
                Assert.True(v.Detection.CandidatesTried >= 4, $"{s.Name} {scale}x: {v.Detection.CandidatesTried} candidates");
                Assert.True(v.Detection.CandidatesTried <= ImageMarkDetector.CandidatesFor(resized.Width, resized.Height));
                Assert.True(v.Detection.FalsePositiveProbability <= 1e-9);
            }
        }
    }

    [Fact]
    public void The_presence_bound_is_the_same_whether_a_read_stops_at_the_untouched_geometry_or_searches_everything()
    {
        var material = ImageMarkKeyMaterial.For(samples.Key);
        foreach (var s in samples.Items)
        {
            var marked = ImageMarkDetector.Read(s.Marked, material, out int markedAutocorrelations);
            var unmarked = ImageMarkDetector.Read(s.Original, material, out int unmarkedAutocorrelations);
            Assert.Equal(s.Payload, marked.Detection?.Payload);
            Assert.Null(unmarked.Detection);
            Assert.False(unmarked.Present, $"{s.Name}: unmarked reads as present (T {unmarked.PresenceStatistic:F2})");
            Assert.Equal(0, markedAutocorrelations);
            // The unmarked read searches every geometry: the lattice at full resolution and binned, at both levels.
            Assert.True(unmarkedAutocorrelations >= 2, $"{s.Name}: {unmarkedAutocorrelations} autocorrelations");
            int bound = ImageMarkDetector.OrientedFoldsFor(s.Marked.Width, s.Marked.Height);
            Assert.Equal(bound, marked.OrientedFoldsBound);
            Assert.Equal(bound, unmarked.OrientedFoldsBound);
            Assert.Equal(ImageMarkSync.PresenceBound(marked.PresenceStatistic, bound, ImageMarkDetector.ChipFoldOffsets),
                marked.PresenceFalsePositiveProbability);
        }
        // The counts themselves, as the rotation sweep's tests pin them: 56 oriented folds from 512 to 1,100 px, 58 under.
        Assert.Equal(56, ImageMarkDetector.OrientedFoldsFor(768, 768));
        Assert.Equal(58, ImageMarkDetector.OrientedFoldsFor(384, 384));
        Assert.Equal(22, ImageMarkDetector.OrientedFoldsFor(1200, 1600));
    }
}
