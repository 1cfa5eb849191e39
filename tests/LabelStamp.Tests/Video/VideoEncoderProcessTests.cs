using System.Diagnostics;
using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;

namespace LabelStamp.Tests.Video;

/// <summary>The one-encoder layout (video on stdin, labeled audio through a FIFO, tags and faststart in
/// the same process): the output is the same bytes on every run, and an encoder that dies while the
/// audio feeder is still writing gives a typed error, not a hang. Input: a 2 s 320×256 test pattern
/// with a 440 Hz AAC track, made here.</summary>
public sealed class VideoEncoderProcessTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ls-video-enc-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly byte[] _input;

    public VideoEncoderProcessTests()
    {
        Directory.CreateDirectory(_dir);
        string path = Path.Combine(_dir, "in.mp4");
        VideoFixture.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x256:rate=25:duration=2", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=2",
            "-ac", "2", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", path);
        _input = File.ReadAllBytes(path);
    }

    private static StampContext Context(string contentId)
    {
        var id = MarkId.Compute(VideoFixture.Key, VideoFixture.Producer, contentId);
        return new StampContext("in.mp4", MediaFormat.Mp4, new StampRequest(contentId, VideoFixture.Producer, new LabelPolicy()),
            VideoFixture.Key, id, new AigcLabel(AigcLabel.Generated, VideoFixture.Producer, contentId), new MediaLimits(), new StageTimings());
    }

    [Fact]
    public async Task The_same_input_gives_the_same_bytes_with_video_and_labeled_audio()
    {
        var labeler = new VideoLabeler(options: VideoFixture.FastOptions);
        var (first, applied) = await labeler.LabelAsync(_input, Context("same"), default);
        var (second, _) = await labeler.LabelAsync(_input, Context("same"), default);
        Assert.Equal(Layers.Explicit | Layers.Watermark | Layers.Metadata, applied);
        Assert.Equal(first, second);

        string path = Path.Combine(_dir, "out.mp4");
        File.WriteAllBytes(path, first);
        var probe = VideoFixture.Probe(path, countFrames: true);
        var streams = probe.GetProperty("streams").EnumerateArray().ToList();
        Assert.Equal("50", streams.Single(s => s.GetProperty("codec_type").GetString() == "video").GetProperty("nb_read_frames").GetString());
        Assert.Equal("aac", streams.Single(s => s.GetProperty("codec_type").GetString() == "audio").GetProperty("codec_name").GetString());
        Assert.True(probe.GetProperty("format").GetProperty("tags").TryGetProperty("AIGC", out _));
    }

    [Fact]
    public async Task An_encoder_that_dies_while_audio_is_fed_is_a_typed_error_not_a_hang()
    {
        // x264 refuses the preset when its first frame arrives: after both inputs are open, so the
        // audio feeder is running (or blocked on a full pipe) when the encoder exits.
        var labeler = new VideoLabeler(options: VideoFixture.FastOptions with { X264Preset = "no-such-preset" });
        var sw = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<LabelStampException>(() => labeler.LabelAsync(_input, Context("dies"), default));
        Assert.Equal(ErrorCode.ToolFailed, e.Code);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), "took too long");
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { /* best effort */ }
    }
}
