using LabelStamp.Media.Audio;
using LabelStamp.Robustness.Video;
using LabelStamp.Verification;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Tests.Video;

/// <summary>The spec §5 video attacks on stamped clips: the mark (and the visible label) must survive each.
/// Every attack runs on the 1080p stamp; CRF 23, CRF 30 and the excerpt also on the 540p sample's stamp
/// (its mark is made at factor 2 on a 480 × 270 half-size plane: bench/VIDEO.md, "small frames").</summary>
[Collection(VideoCollection.Name)]
public class VideoRobustnessTests(VideoFixture fx)
{
    public static TheoryData<string, bool> Attacks
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (var a in VideoAttackSuite.All) data.Add(a.Name, true);
            data.Add(VideoAttackSuite.H264Crf23.Name, false);
            data.Add(VideoAttackSuite.H264Crf30.Name, false);
            data.Add(VideoAttackSuite.Excerpt5s.Name, false);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task The_mark_survives(string name, bool from1080)
    {
        var attack = VideoAttackSuite.All.Single(a => a.Name == name);
        string source = from1080 ? fx.Labeled1080 : fx.Labeled;
        string attacked = Path.Combine(fx.Temp, "attacked-" + name + (from1080 ? "-1080" : "-540") + ".mp4");
        await attack.ApplyAsync(source, attacked, 6.0, new ToolRunner(), default);

        var report = fx.Verify(attacked, VideoFixture.Key);
        Assert.Null(report.Error);
        Assert.Equal(LayerState.NotFound, report.Metadata.State); // the attack stripped the tags: only the pixels speak
        Assert.Equal(LayerState.Found, report.Watermark.State);
        var expected = from1080 ? MarkIdOf("video-1080") : fx.Result.MarkId;
        Assert.Equal(expected.ToString(), report.Watermark.Details!["markId"]);
        // The frames themselves, not the audio track's mark that verify falls back to.
        Assert.Equal("found", report.Watermark.Details["video"]);
        Assert.Equal(LayerState.Found, report.Explicit.State);
    }

    private static LabelStamp.Labels.MarkId MarkIdOf(string contentId) => LabelStamp.Labels.MarkId.Compute(VideoFixture.Key, VideoFixture.Producer, contentId);
}
