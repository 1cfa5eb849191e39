using System.Diagnostics;
using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;
using LabelStamp.TestSupport;

namespace LabelStamp.Tests.Video;

/// <summary>The one-encoder layout (video on stdin, labeled audio through a Unix socket, tags and faststart in
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
        string path = Path.Combine(_dir, "out.mp4");
        File.WriteAllBytes(path, first);
        if (!first.AsSpan().SequenceEqual(second))
        {
            // Say which packets differ, so a failure tells the encoders' output apart from the
            // muxer's interleaving or the container's boxes.
            string other = Path.Combine(_dir, "out-second.mp4");
            File.WriteAllBytes(other, second);
            Assert.Fail($"two stamps of the same input differ ({first.Length} vs {second.Length} bytes); {FirstPacketDifference(path, other)}");
        }
        var probe = VideoFixture.Probe(path, countFrames: true);
        var streams = probe.GetProperty("streams").EnumerateArray().ToList();
        Assert.Equal("50", streams.Single(s => s.GetProperty("codec_type").GetString() == "video").GetProperty("nb_read_frames").GetString());
        Assert.Equal("aac", streams.Single(s => s.GetProperty("codec_type").GetString() == "audio").GetProperty("codec_name").GetString());
        Assert.True(probe.GetProperty("format").GetProperty("tags").TryGetProperty("AIGC", out _));
    }

    /// <summary>
    /// Issue 22: a 22 KB MP4 whose audio <c>stsd</c> box size was changed by one byte hung about half the
    /// stamps when the audio reached the encoder through a FIFO (the feeder finished before the encoder
    /// opened it, and open(2) waited for a writer for ever). Through the socket every run ends; the
    /// stamp runs under a 60 s deadline so a regression fails as LS112 instead of hanging the suite.
    /// </summary>
    [Fact]
    public async Task A_damaged_audio_sample_description_never_hangs_the_encoder()
    {
        byte[] damaged = (byte[])_input.Clone();
        int sound = damaged.AsSpan().IndexOf("soun"u8);
        int stsd = sound + damaged.AsSpan(sound).IndexOf("stsd"u8) - 4;
        Assert.True(sound > 0 && stsd > sound, "the fixture has no audio sample description");
        damaged[stsd + 3]++; // the box's size field, one byte longer than the box
        var limits = new MediaLimits { DeadlineFloor = TimeSpan.FromSeconds(60), DeadlineCap = TimeSpan.FromSeconds(60) };
        var stamper = new Stamper(VideoFixture.Key, [new VideoLabeler(options: VideoFixture.FastOptions)], limits: limits);
        for (int run = 0; run < 6; run++)
        {
            try
            {
                var result = await stamper.StampAsync(damaged, "damaged-stsd.mp4", new StampRequest($"stsd-{run}", VideoFixture.Producer, new LabelPolicy()));
                Assert.NotEmpty(result.Output);
            }
            catch (LabelStampException e)
            {
                Assert.NotEqual(ErrorCode.DeadlineExceeded, e.Code);
                Assert.NotEqual(ErrorCode.Internal, e.Code);
            }
        }
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

    /// <summary>The first line where the two files' packet lists (stream, timestamps, size, flags, payload hash) differ.</summary>
    private static string FirstPacketDifference(string a, string b)
    {
        static string[] Packets(string path)
        {
            var (exit, stdout, err) = ExternalTool.Run("ffprobe", ["-v", "error", "-show_data_hash", "sha256", "-show_entries",
                "packet=stream_index,pts,dts,duration,size,pos,flags,data_hash", "-of", "csv=p=0", path]);
            return exit == 0 ? stdout.Split('\n') : [$"ffprobe failed: {err}"];
        }
        string[] pa = Packets(a), pb = Packets(b);
        for (int i = 0; i < Math.Max(pa.Length, pb.Length); i++)
        {
            string la = i < pa.Length ? pa[i] : "(none)", lb = i < pb.Length ? pb[i] : "(none)";
            if (la != lb) return $"first differing packet line {i}: '{la}' vs '{lb}' ({pa.Length} vs {pb.Length} lines)";
        }
        return "the packet lists are equal: the difference is in the container's boxes";
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { /* best effort */ }
    }
}
