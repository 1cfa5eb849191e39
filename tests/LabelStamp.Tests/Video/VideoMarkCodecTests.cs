using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Pipeline;
using LabelStamp.Robustness.Video;
using LabelStamp.TestSupport;
using LabelStamp.Verification;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Tests.Video;

/// <summary>Issue 18: the frames alone carry the mark through platform re-encodes. Clips are made here
/// (a pan over a still photo, no audio track, so no audio mark can stand in), stamped, attacked and read
/// from the frames only (<see cref="VideoInspector.ReadFramesMarksAsync"/>), under the stamping key and
/// under another key (must read nothing), and the unmarked clip must read nothing.</summary>
public sealed class VideoMarkCodecTests : IDisposable
{
    private static readonly MarkKey Key = MarkKey.FromBytes(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());
    private static readonly MarkKey OtherKey = MarkKey.FromBytes(Enumerable.Range(90, 32).Select(i => (byte)i).ToArray());
    private readonly string _temp = RepoPaths.NewTempDir();

    /// <summary>A silent pan over dune.jpg: the window moves across the photo (so the codec's motion
    /// compensation is at work) at the given size and rate.</summary>
    private string MakeSilentPan(int width, int height, int seconds, int fps)
    {
        string path = Path.Combine(_temp, $"pan-{height}.mp4");
        VideoFixture.Ffmpeg("-loop", "1", "-framerate", fps.ToString(), "-t", seconds.ToString(), "-i", RepoPaths.Samples("images", "dune.jpg"),
            "-vf", $"scale=-2:{height * 5 / 4},crop={width}:{height}:x='(iw-ow)*t/{seconds}':y='(ih-oh)/2',setsar=1",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p", "-an", path);
        return path;
    }

    private static async Task<(string Path, MarkId Id)> StampAsync(string input, string output)
    {
        byte[] bytes = await File.ReadAllBytesAsync(input);
        var policy = new LabelPolicy();
        var id = MarkId.Compute(Key, "producer", "codec-test");
        var ctx = new StampContext("clip.mp4", MediaFormat.Mp4, new StampRequest("codec-test", "producer", policy), Key, id,
            new AigcLabel("1", "producer", "codec-test"), new MediaLimits(), new StageTimings());
        var (labeled, applied) = await new LabelStamp.Media.Video.VideoLabeler(options: VideoFixture.FastOptions).LabelAsync(bytes, ctx, default);
        Assert.True((applied & Layers.Watermark) != 0);
        await File.WriteAllBytesAsync(output, labeled);
        return (output, id);
    }

    private static async Task<LabelStamp.Marks.MarkReading?[]> ReadFramesAsync(string path) =>
        await new VideoInspector().ReadFramesMarksAsync(await File.ReadAllBytesAsync(path), Path.GetFileName(path), MediaFormat.Mp4, [Key, OtherKey],
            new MediaLimits(), default);

    [Fact]
    public async Task A_silent_clip_keeps_the_mark_in_its_frames_after_crf_30()
    {
        string input = MakeSilentPan(640, 360, 5, 25);
        var original = await ReadFramesAsync(input);
        Assert.All(original, r => Assert.Null(r)); // unmarked: nothing under either key

        var (stamped, id) = await StampAsync(input, Path.Combine(_temp, "stamped.mp4"));
        string attacked = Path.Combine(_temp, "crf30.mp4");
        await VideoAttackSuite.H264Crf30.ApplyAsync(stamped, attacked, 5, new ToolRunner(), default);
        Assert.Equal(0, VideoFixture.Probe(attacked).GetProperty("streams").EnumerateArray().Count(s => s.GetProperty("codec_type").GetString() == "audio"));

        var read = await ReadFramesAsync(attacked);
        Assert.NotNull(read[0]);
        Assert.Equal(id, read[0]!.MarkId);
        // The frames' own video mark, static or content-locked (the automatic stamp keeps the content-locked pattern when its
        // check reads it: on this 360p pan since the readers' prefilter, round 19), never the image mark of earlier stamps.
        Assert.Matches("^(video mark|content-locked video mark), ", read[0]!.Geometry);
        Assert.Null(read[1]); // another key reads nothing
    }

    [Fact]
    public async Task A_1080p_stamp_scaled_to_720p_cut_to_5_s_at_crf_30_keeps_the_mark_in_its_frames()
    {
        string input = MakeSilentPan(1920, 1080, 7, 24);
        var (stamped, id) = await StampAsync(input, Path.Combine(_temp, "stamped-1080.mp4"));
        string attacked = Path.Combine(_temp, "combined.mp4");
        await VideoAttackSuite.Combined.ApplyAsync(stamped, attacked, 7, new ToolRunner(), default);
        var probe = VideoFixture.Probe(attacked).GetProperty("streams")[0];
        Assert.Equal(720, probe.GetProperty("height").GetInt32());

        var read = await ReadFramesAsync(attacked);
        Assert.NotNull(read[0]);
        Assert.Equal(id, read[0]!.MarkId);
        Assert.Null(read[1]);
    }

    public void Dispose()
    {
        try { Directory.Delete(_temp, recursive: true); } catch (IOException) { }
    }
}

/// <summary>verify's watermark row says which part of a video produced the verdict (details "source").</summary>
public sealed class VideoWatermarkSourceTests
{
    private static readonly MarkKey Key = MarkKey.FromBytes(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());

    private static AudioReport AudioWith(MarkId id) => new("track", MediaFormat.Mp4, new AudioStreamInfo("aac", 48000, 2, TimeSpan.FromSeconds(6), 128000, "fltp", 0, true, new Dictionary<string, string>()),
        null, null, null, null, null,
        new LabelStamp.Marks.Audio.AudioMarkDetection(LabelStamp.Marks.Payload.MarkPayload.For(id, Key), 0.1, 9, 3, 330, 1e-11, 40), Key.KeyId);

    [Fact]
    public void The_frames_decide_when_they_carry_the_mark()
    {
        var id = new MarkId(42);
        var frames = new LabelStamp.Marks.MarkReading(id, Key.KeyId, 2, 1e-11, "video mark");
        var row = VideoInspector.WatermarkRow(frames, AudioWith(id), new VerifyOptions { Key = Key });
        Assert.Equal(LayerState.Found, row.State);
        Assert.Equal("frames", row.Details!["source"]);
        Assert.StartsWith("frames: ", row.Summary);
    }

    [Fact]
    public void The_audio_track_decides_only_when_the_frames_carry_nothing()
    {
        var id = new MarkId(42);
        var row = VideoInspector.WatermarkRow(null, AudioWith(id), new VerifyOptions { Key = Key });
        Assert.Equal(LayerState.Found, row.State);
        Assert.Equal("audio-track", row.Details!["source"]);
        Assert.Equal("not found", row.Details["video"]);
        var none = VideoInspector.WatermarkRow(null, null, new VerifyOptions { Key = Key });
        Assert.Equal(LayerState.NotFound, none.State);
        Assert.False(none.Details?.ContainsKey("source") ?? false);
    }
}
