using LabelStamp.Media.Audio;
using LabelStamp.Robustness.Video;
using LabelStamp.Verification;

namespace LabelStamp.Tests.Video;

/// <summary>The spec §5 video attacks on stamped clips: the mark (and the visible label) must survive each.
/// The scale attack starts from the 1080p stamp; the others from the 540p sample's stamp.</summary>
[Collection(VideoCollection.Name)]
public class VideoRobustnessTests(VideoFixture fx)
{
    public static TheoryData<string> Attacks => [.. VideoAttackSuite.All.Select(a => a.Name)];

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task The_mark_survives(string name)
    {
        var attack = VideoAttackSuite.All.Single(a => a.Name == name);
        bool from1080 = attack.ScaleHeight > 0;
        string source = from1080 ? fx.Labeled1080 : fx.Labeled;
        string attacked = Path.Combine(fx.Temp, "attacked-" + name + ".mp4");
        await attack.ApplyAsync(source, attacked, 6.0, new ToolRunner(), default);

        var report = fx.Verify(attacked, VideoFixture.Key);
        Assert.Null(report.Error);
        Assert.Equal(LayerState.NotFound, report.Metadata.State); // the attack stripped the tags: only the pixels speak
        Assert.Equal(LayerState.Found, report.Watermark.State);
        var expected = from1080 ? MarkIdOf("video-1080") : fx.Result.MarkId;
        Assert.Equal(expected.ToString(), report.Watermark.Details!["markId"]);
        Assert.Equal(LayerState.Found, report.Explicit.State);
    }

    private static LabelStamp.Labels.MarkId MarkIdOf(string contentId) => LabelStamp.Labels.MarkId.Compute(VideoFixture.Key, VideoFixture.Producer, contentId);
}
