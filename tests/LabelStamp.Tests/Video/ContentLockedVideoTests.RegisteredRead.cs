using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;
using LabelStamp.Robustness.Video;
using LabelStamp.Verification;

namespace LabelStamp.Tests.Video;

/// <summary>When verify builds the registered canvas (<see cref="RegisteredReadMode"/>): a static stamp never pays for it,
/// a content-locked one gets it from a second decode, and every mode gives the same reading.</summary>
public partial class ContentLockedVideoTests
{
    private static (VideoInspector Inspector, Verifier Verifier) VerifierWith(RegisteredReadMode mode)
    {
        var catalog = new MediaCatalog(video: ContentLockedVideoFixture.Locked with { RegisteredRead = mode });
        return (catalog.Inspectors.OfType<VideoInspector>().Single(), catalog.CreateVerifier());
    }

    private static VerifyReport VerifyWith(Verifier verifier, string path, MarkKey key) =>
        verifier.VerifyAsync(File.ReadAllBytes(path), Path.GetFileName(path), new VerifyOptions { Key = key }).GetAwaiter().GetResult();

    private static double Bound(VerifyReport report) =>
        double.Parse(report.Watermark.Details!["falsePositiveProbability"], CultureInfo.InvariantCulture);

    [Fact]
    public void Verify_of_a_static_stamp_does_not_build_the_registered_canvas()
    {
        var (inspector, verifier) = VerifierWith(RegisteredReadMode.OnStaticMiss);
        var report = VerifyWith(verifier, fx.Static540, VideoFixture.Key);
        AssertFramesRead(report, ContentLockedVideoFixture.MarkIdOf("static-540"), "video mark");
        Assert.Equal(0, inspector.RegisteredDecodes);
        // The bound still counts the registered read: on an unmarked file it is tried.
        Assert.Equal(9 * FalsePositiveBound.ComputeWithKeyNibble(1), Bound(report), 1e-15);
    }

    [Fact]
    public async Task A_content_locked_stamp_reads_after_crf_30_from_a_second_decode_as_from_the_first()
    {
        string attacked = await fx.AttackAsync(fx.Locked540, VideoAttackSuite.H264Crf30, 4);
        var (lazyInspector, lazy) = VerifierWith(RegisteredReadMode.OnStaticMiss);
        var (eagerInspector, eager) = VerifierWith(RegisteredReadMode.Always);
        var second = VerifyWith(lazy, attacked, VideoFixture.Key);
        var first = VerifyWith(eager, attacked, VideoFixture.Key);
        var id = ContentLockedVideoFixture.MarkIdOf("locked-540");
        AssertFramesRead(second, id, "content-locked video mark");
        AssertFramesRead(first, id, "content-locked video mark");
        Assert.Contains("second decode", second.Watermark.Details!["geometry"], StringComparison.Ordinal);
        Assert.DoesNotContain("second decode", first.Watermark.Details!["geometry"], StringComparison.Ordinal);
        Assert.Equal(1, lazyInspector.RegisteredDecodes);
        Assert.Equal(0, eagerInspector.RegisteredDecodes);
        // The same frames on the same canvas: the same reading, to the bit.
        Assert.Equal(first.Watermark.Details["bitErrorsCorrected"], second.Watermark.Details["bitErrorsCorrected"]);
        Assert.Equal(first.Watermark.Details["geometry"], second.Watermark.Details["geometry"].Replace(", second decode", "", StringComparison.Ordinal));
        Assert.Equal(Bound(first), Bound(second));
    }

    [Fact]
    public void A_wrong_key_reads_nothing_and_decodes_the_canvas_once()
    {
        var other = MarkKey.FromBytes(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());
        var (inspector, verifier) = VerifierWith(RegisteredReadMode.OnStaticMiss);
        var report = VerifyWith(verifier, fx.Locked540, other);
        Assert.Null(report.Error);
        Assert.NotEqual(LayerState.Found, report.Watermark.State);
        Assert.Equal(1, inspector.RegisteredDecodes);
    }

    [Fact]
    public void With_the_registered_read_off_a_content_locked_stamp_reads_nothing_and_the_static_bound_drops_it()
    {
        var (inspector, verifier) = VerifierWith(RegisteredReadMode.Never);
        Assert.NotEqual(LayerState.Found, VerifyWith(verifier, fx.Locked540, VideoFixture.Key).Watermark.State);
        var report = VerifyWith(verifier, fx.Static540, VideoFixture.Key);
        AssertFramesRead(report, ContentLockedVideoFixture.MarkIdOf("static-540"), "video mark");
        Assert.Equal(5 * FalsePositiveBound.ComputeWithKeyNibble(1), Bound(report), 1e-15);
        Assert.Equal(0, inspector.RegisteredDecodes);
    }

    [Fact]
    public void An_unknown_registered_read_mode_is_refused()
    {
        var e = Assert.Throws<LabelStamp.Errors.LabelStampException>(() => new VideoLabelOptions { RegisteredRead = (RegisteredReadMode)9 }.Validate());
        Assert.Equal(LabelStamp.Errors.ErrorCode.InvalidPolicy, e.Code);
    }
}
