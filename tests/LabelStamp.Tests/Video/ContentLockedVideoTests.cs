using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Marks.Video;
using LabelStamp.Media.Ffmpeg;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;
using LabelStamp.Robustness.Video;
using LabelStamp.Verification;

namespace LabelStamp.Tests.Video;

/// <summary>
/// Silent pans made from ffmpeg's own sources (a testsrc2 still with blurred noise for texture, cropped at a moving
/// whole-pixel offset, as the corpus's pans are), stamped with the opt-in content-locked mark and with the default
/// static one, x264 veryfast to keep the time down.
/// </summary>
public sealed class ContentLockedVideoFixture : IDisposable
{
    public static readonly VideoLabelOptions Locked = new() { X264Preset = "veryfast", MarkVersion = VideoMarkVersion.ContentLocked };
    public static readonly VideoLabelOptions Static = new() { X264Preset = "veryfast", MarkVersion = VideoMarkVersion.Static };

    public ContentLockedVideoFixture()
    {
        Directory.CreateDirectory(Temp);
        string still = Path.Combine(Temp, "still.png");
        VideoFixture.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=2880x1620:rate=1", "-frames:v", "1",
            "-vf", "noise=alls=60:allf=0,gblur=sigma=2.5", still);
        Pan540 = Path.Combine(Temp, "pan-540.mp4");
        VideoFixture.Ffmpeg("-loop", "1", "-framerate", "25", "-i", still, "-t", "4",
            "-vf", "scale=1440:810,crop=960:540:x='trunc(t*60)':y='trunc(t*12)',format=yuv420p", "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", Pan540);
        Pan1080 = Path.Combine(Temp, "pan-1080.mp4");
        VideoFixture.Ffmpeg("-loop", "1", "-framerate", "24", "-i", still, "-t", "6",
            "-vf", "crop=1920:1080:x='trunc(t*90)':y='trunc(t*20)',format=yuv420p", "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", Pan1080);
        // A zoom in by 30 % over the clip about the centre, in whole 2-px steps of the scaled width (as the corpus's zooms).
        Zoom540 = Path.Combine(Temp, "zoom-540.mp4");
        VideoFixture.Ffmpeg("-loop", "1", "-framerate", "25", "-i", still, "-t", "4",
            "-vf", "scale=w='2*trunc(1200*(1+0.3*t/4)/2)':h=-2:eval=frame:flags=bicubic,crop=960:540,format=yuv420p",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", Zoom540);
        LockedCatalog = new MediaCatalog(video: Locked);
        Locked540 = Stamp(LockedCatalog, Pan540, "locked-540.mp4", "locked-540");
        Locked1080 = Stamp(LockedCatalog, Pan1080, "locked-1080.mp4", "locked-1080");
        Static540 = Stamp(new MediaCatalog(video: Static), Pan540, "static-540.mp4", "static-540");
        LockedZoom540 = Stamp(LockedCatalog, Zoom540, "locked-zoom-540.mp4", "locked-zoom-540");
    }

    public string Temp { get; } = Path.Combine(Path.GetTempPath(), "labelstamp-locked-" + Guid.NewGuid().ToString("N")[..8]);
    public string Pan540 { get; }
    public string Pan1080 { get; }
    public MediaCatalog LockedCatalog { get; }
    public string Locked540 { get; }
    public string Locked1080 { get; }
    public string Static540 { get; }
    public string Zoom540 { get; }
    public string LockedZoom540 { get; }

    public static MarkId MarkIdOf(string contentId) => MarkId.Compute(VideoFixture.Key, VideoFixture.Producer, contentId);

    private string Stamp(MediaCatalog catalog, string input, string outName, string contentId)
    {
        var result = catalog.CreateStamper(VideoFixture.Key)
            .StampAsync(File.ReadAllBytes(input), Path.GetFileName(input), new StampRequest(contentId, VideoFixture.Producer, new LabelPolicy()))
            .GetAwaiter().GetResult();
        Assert.True((result.Applied & Layers.Watermark) != 0);
        string path = Path.Combine(Temp, outName);
        File.WriteAllBytes(path, result.Output);
        return path;
    }

    public VerifyReport Verify(string path, MarkKey? key) =>
        LockedCatalog.CreateVerifier().VerifyAsync(File.ReadAllBytes(path), Path.GetFileName(path), new VerifyOptions { Key = key }).GetAwaiter().GetResult();

    public async Task<string> AttackAsync(string source, VideoAttack attack, double seconds)
    {
        string attacked = Path.Combine(Temp, Path.GetFileNameWithoutExtension(source) + "-" + attack.Name + ".mp4");
        await attack.ApplyAsync(source, attacked, seconds, new ToolRunner(), default);
        return attacked;
    }

    public void Dispose()
    {
        try { Directory.Delete(Temp, recursive: true); } catch (IOException) { /* best effort; the OS clears /tmp */ }
    }
}

/// <summary>The opt-in content-locked video mark end to end: stamp, attack, verify (frames only: the clips are silent).</summary>
public partial class ContentLockedVideoTests(ContentLockedVideoFixture fx) : IClassFixture<ContentLockedVideoFixture>
{
    private static void AssertFramesRead(VerifyReport report, MarkId expected, string geometryStart)
    {
        Assert.Null(report.Error);
        Assert.Equal(LayerState.Found, report.Watermark.State);
        Assert.Equal(expected.ToString(), report.Watermark.Details!["markId"]);
        Assert.Equal("frames", report.Watermark.Details["source"]);
        Assert.StartsWith(geometryStart, report.Watermark.Details["geometry"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_content_locked_pan_reads_after_crf_30()
    {
        string attacked = await fx.AttackAsync(fx.Locked540, VideoAttackSuite.H264Crf30, 4);
        AssertFramesRead(fx.Verify(attacked, VideoFixture.Key), ContentLockedVideoFixture.MarkIdOf("locked-540"), "content-locked video mark");
    }

    [Fact]
    public async Task A_content_locked_1080p_pan_reads_after_720p_5s_excerpt_and_crf_30()
    {
        string attacked = await fx.AttackAsync(fx.Locked1080, VideoAttackSuite.Combined, 6);
        AssertFramesRead(fx.Verify(attacked, VideoFixture.Key), ContentLockedVideoFixture.MarkIdOf("locked-1080"), "content-locked video mark");
    }

    [Fact]
    public async Task A_content_locked_zoom_reads_after_crf_30()
    {
        // The embedder takes the clip as a zoom shot and holds the map at the identity (ContentLockedMarkEmbedder.
        // ZoomedShotSteps): what it drew after that is the static grid, which the static detector, tried first, reads.
        string attacked = await fx.AttackAsync(fx.LockedZoom540, VideoAttackSuite.H264Crf30, 4);
        AssertFramesRead(fx.Verify(attacked, VideoFixture.Key), ContentLockedVideoFixture.MarkIdOf("locked-zoom-540"), "video mark");
    }

    [Fact]
    public async Task The_static_mark_still_reads_first()
    {
        string attacked = await fx.AttackAsync(fx.Static540, VideoAttackSuite.H264Crf30, 4);
        var report = fx.Verify(attacked, VideoFixture.Key);
        AssertFramesRead(report, ContentLockedVideoFixture.MarkIdOf("static-540"), "video mark");
        // Three readers are tried on every file: static (1 candidate), registered (2 on each of its two canvases), the
        // earlier image mark (≤ 4).
        Assert.Equal(9 * LabelStamp.Marks.Payload.FalsePositiveBound.ComputeWithKeyNibble(1),
            double.Parse(report.Watermark.Details!["falsePositiveProbability"], System.Globalization.CultureInfo.InvariantCulture), 1e-15);
    }

    [Fact]
    public void A_wrong_key_reads_nothing()
    {
        var other = MarkKey.FromBytes(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());
        var report = fx.Verify(fx.Locked540, other);
        Assert.Null(report.Error);
        Assert.NotEqual(LayerState.Found, report.Watermark.State);
    }

    [Fact]
    public void The_stamp_moved_the_pattern_and_kept_the_stream()
    {
        // The content-locked stamp differs from the static one in its pixels, not in its shape.
        var locked = VideoFixture.Probe(fx.Locked540, countFrames: true).GetProperty("streams")[0];
        var plain = VideoFixture.Probe(fx.Pan540, countFrames: true).GetProperty("streams")[0];
        Assert.Equal(plain.GetProperty("nb_read_frames").GetString(), locked.GetProperty("nb_read_frames").GetString());
        Assert.NotEqual(File.ReadAllBytes(fx.Static540), File.ReadAllBytes(fx.Locked540));
    }

    [Fact]
    public void An_unknown_mark_version_is_refused()
    {
        var e = Assert.Throws<LabelStampException>(() => new VideoLabelOptions { MarkVersion = (VideoMarkVersion)7 }.Validate());
        Assert.Equal(ErrorCode.InvalidPolicy, e.Code);
    }
}
