using LabelStamp.Labels;
using LabelStamp.Marks.Video;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;
using LabelStamp.Verification;

namespace LabelStamp.Tests.Video;

/// <summary>
/// Three silent 4 s 960×540 pans from ffmpeg's own sources, stamped with the default (automatic) video mark: a soft picture
/// (testsrc2 blurred), where the content-locked pattern reads wide where it was drawn; a one-dimensional automaton's
/// picture (rule 110, seed 1), whose hard periodic texture leaves the content-locked pattern unreadable while the static one
/// reads; and the same automaton blurred (σ 2), where the content-locked pattern reads where it was drawn, but thinly.
/// x264 veryfast to keep the time down.
/// </summary>
public sealed class AutoVideoMarkFixture : IDisposable
{
    public static readonly VideoLabelOptions Auto = new() { X264Preset = "veryfast" };

    public AutoVideoMarkFixture()
    {
        Directory.CreateDirectory(Temp);
        Soft = Pan("testsrc2=size=2880x1620:rate=1", "gblur=sigma=6", "soft");
        Automaton = Pan("cellauto=rule=110:size=1440x810:rate=1:seed=1:full=1", null, "automaton");
        SoftAutomaton = Pan("cellauto=rule=110:size=1440x810:rate=1:seed=1:full=1", "gblur=sigma=2", "soft-automaton");
        var catalog = new MediaCatalog(video: Auto);
        SoftStamp = Stamp(catalog, Soft, "soft");
        AutomatonStamp = Stamp(catalog, Automaton, "automaton");
        SoftAutomatonStamp = Stamp(catalog, SoftAutomaton, "soft-automaton");
        LockedAutomatonStamp = Stamp(new MediaCatalog(video: Auto with { MarkVersion = VideoMarkVersion.ContentLocked }), Automaton, "automaton");
        Verifier = catalog.CreateVerifier();
    }

    public string Temp { get; } = Path.Combine(Path.GetTempPath(), "labelstamp-auto-" + Guid.NewGuid().ToString("N")[..8]);
    public string Soft { get; }
    public string Automaton { get; }
    public string SoftAutomaton { get; }
    public StampResult SoftStamp { get; }
    public StampResult AutomatonStamp { get; }
    public StampResult SoftAutomatonStamp { get; }
    public StampResult LockedAutomatonStamp { get; }
    public Verifier Verifier { get; }

    public static MarkId MarkIdOf(string contentId) => MarkId.Compute(VideoFixture.Key, VideoFixture.Producer, contentId);

    /// <summary>A still of <paramref name="source"/> (one frame, optionally filtered), panned as the corpus's pans are: cropped at a
    /// moving whole-pixel offset.</summary>
    private string Pan(string source, string? filter, string name)
    {
        string still = Path.Combine(Temp, name + ".png");
        if (filter is null) VideoFixture.Ffmpeg("-f", "lavfi", "-i", source, "-frames:v", "1", still);
        else VideoFixture.Ffmpeg("-f", "lavfi", "-i", source, "-frames:v", "1", "-vf", filter, still);
        string clip = Path.Combine(Temp, name + ".mp4");
        VideoFixture.Ffmpeg("-loop", "1", "-framerate", "25", "-i", still, "-t", "4",
            "-vf", "scale=1440:810,crop=960:540:x='trunc(t*60)':y='trunc(t*12)',format=yuv420p", "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", clip);
        return clip;
    }

    private static StampResult Stamp(MediaCatalog catalog, string input, string contentId) =>
        catalog.CreateStamper(VideoFixture.Key)
            .StampAsync(File.ReadAllBytes(input), Path.GetFileName(input), new StampRequest(contentId, VideoFixture.Producer, new LabelPolicy()))
            .GetAwaiter().GetResult();

    public VerifyReport Verify(StampResult stamp, string name) =>
        Verifier.VerifyAsync(stamp.Output, name, new VerifyOptions { Key = VideoFixture.Key }).GetAwaiter().GetResult();

    public void Dispose()
    {
        try { Directory.Delete(Temp, recursive: true); } catch (IOException) { /* best effort; the OS clears /tmp */ }
    }
}

/// <summary>The automatic video mark (the default): content-locked where its stamp reads with margin, or thinly where its
/// encoded file reads too; else static.</summary>
public sealed class AutoVideoMarkTests(AutoVideoMarkFixture fx) : IClassFixture<AutoVideoMarkFixture>
{
    private static bool StampedTwice(StampResult stamp) => stamp.Timings.Stages.Any(s => s.Stage == "video-pipeline-static");

    /// <summary>The stamp claims the watermark, and verify finds this item's mark in the frames, read by the reader whose
    /// geometry starts with <paramref name="reader"/>.</summary>
    private void ClaimedAndRead(StampResult stamp, string contentId, string reader)
    {
        Assert.True((stamp.Applied & Layers.Watermark) != 0);
        var report = fx.Verify(stamp, contentId + ".mp4");
        Assert.Equal(LayerState.Found, report.Watermark.State);
        Assert.Equal(AutoVideoMarkFixture.MarkIdOf(contentId).ToString(), report.Watermark.Details!["markId"]);
        Assert.Equal("frames", report.Watermark.Details["source"]);
        Assert.StartsWith(reader, report.Watermark.Details["geometry"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_is_the_automatic_version()
    {
        Assert.Equal(VideoMarkVersion.Auto, new VideoLabelOptions().MarkVersion);
    }

    [Fact]
    public void A_soft_pan_keeps_the_content_locked_pattern()
    {
        Assert.False(StampedTwice(fx.SoftStamp));
        Assert.Contains(fx.SoftStamp.Timings.Stages, s => s.Stage == "video-mark-tracker");
        // The static detector, tried first, does not read a pattern that moved with the picture: the registered reader does.
        ClaimedAndRead(fx.SoftStamp, "soft", "content-locked video mark");
    }

    [Fact]
    public void Where_the_content_locked_pattern_does_not_read_the_static_one_is_stamped()
    {
        // The content-locked version alone withholds the mark on this picture...
        Assert.Equal((Layers)0, fx.LockedAutomatonStamp.Applied & Layers.Watermark);
        Assert.Contains(fx.LockedAutomatonStamp.Notices, n => n.Layer == Layers.Watermark);
        // ...the automatic one stamps the static pattern in a second pass, claims it, and verify reads it there.
        Assert.True(StampedTwice(fx.AutomatonStamp));
        Assert.Empty(fx.AutomatonStamp.Notices);
        ClaimedAndRead(fx.AutomatonStamp, "automaton", "video mark");
    }

    [Fact]
    public void A_thin_content_locked_stamp_whose_file_reads_is_kept()
    {
        // Thin where it was drawn: the stamp read its own file with verify's reader (the stage only runs then)...
        Assert.Contains(fx.SoftAutomatonStamp.Timings.Stages, s => s.Stage == "video-mark-file-check");
        // ...found its mark there, and kept the content-locked pattern: no second pass, the mark claimed, verify reads it.
        Assert.False(StampedTwice(fx.SoftAutomatonStamp));
        Assert.Empty(fx.SoftAutomatonStamp.Notices);
        ClaimedAndRead(fx.SoftAutomatonStamp, "soft-automaton", "content-locked video mark");
    }

    [Fact]
    public void The_second_pass_keeps_every_frame_and_the_AIGC_metadata()
    {
        string path = Path.Combine(fx.Temp, "automaton-stamped.mp4");
        File.WriteAllBytes(path, fx.AutomatonStamp.Output);
        var stamped = VideoFixture.Probe(path, countFrames: true).GetProperty("streams")[0];
        var input = VideoFixture.Probe(fx.Automaton, countFrames: true).GetProperty("streams")[0];
        Assert.Equal(input.GetProperty("nb_read_frames").GetString(), stamped.GetProperty("nb_read_frames").GetString());
        var report = fx.Verify(fx.AutomatonStamp, "automaton.mp4");
        Assert.Equal(LayerState.Found, report.Metadata.State);
    }
}
