using LabelStamp.Media;
using LabelStamp.Media.Ffmpeg;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;

namespace LabelStamp.Tests.Video;

/// <summary>The raw frames on the stamp's pipes are in the format the encoder codes in: a full-range H.264 input reaches
/// our processing with its own levels (white 255), not squeezed to video range (235) by the decoder and stretched back
/// by the encoder; video-range and VP9 input keep yuv420p. Input: a 0.4 s 64×64 white full-range clip, made here.</summary>
public sealed class VideoPipeFormatTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ls-video-pipefmt-" + Guid.NewGuid().ToString("N")[..8]);

    public VideoPipeFormatTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static VideoStreamInfo Info(string codec, string pixelFormat, string? range, string muxer = "mp4") =>
        new(codec, 64, 64, pixelFormat, "25/1", 25, 10, TimeSpan.FromSeconds(0.4), 100_000, range, null, null, null, null, 0, muxer,
            new Dictionary<string, string>());

    [Fact]
    public void Full_range_h264_and_hevc_travel_as_yuvj420p_everything_else_as_yuv420p()
    {
        Assert.Equal("yuvj420p", VideoCodecs.PipePixelFormat(Info("h264", "yuvj420p", "pc")));
        Assert.Equal("yuvj420p", VideoCodecs.PipePixelFormat(Info("hevc", "yuv420p", "pc")));
        Assert.Equal("yuvj420p", VideoCodecs.PipePixelFormat(Info("mpeg4", "yuvj420p", null)));
        Assert.Equal("yuv420p", VideoCodecs.PipePixelFormat(Info("h264", "yuv420p", "tv")));
        Assert.Equal("yuv420p", VideoCodecs.PipePixelFormat(Info("h264", "yuv420p", null)));
        Assert.Equal("yuv420p", VideoCodecs.PipePixelFormat(Info("vp9", "yuv420p", "pc", "webm")));
        Assert.Equal("yuv420p", VideoCodecs.PipePixelFormat(Info("h264", "yuvj420p", "pc", "webm"))); // re-encoded as VP9
    }

    [Fact]
    public async Task A_full_range_clip_reaches_the_frames_with_its_own_levels_and_the_encoder_reads_the_same_format()
    {
        string path = Path.Combine(_dir, "white.mp4");
        VideoFixture.Ffmpeg("-f", "lavfi", "-i", "color=c=white:s=64x64:r=25:d=0.4,format=yuvj420p", "-c:v", "libx264", "-preset", "veryfast",
            "-crf", "18", "-pix_fmt", "yuvj420p", path);
        byte[] input = File.ReadAllBytes(path);
        var tools = new ToolRunner();
        using var ws = await MediaWorkspace.CreateAsync(input, ".mp4", default);
        var info = await new VideoProbe(tools).ProbeAsync(ws, MediaFormat.Mp4, input, "white.mp4", new MediaLimits(), default);
        Assert.True(info.FullRange);
        string pipe = VideoCodecs.PipePixelFormat(info);
        Assert.Equal("yuvj420p", pipe);

        int lowest = 255, frames = 0;
        var decode = VideoLabeler.DecodeCommand(ws, MediaFormat.Mp4, pixelFormat: pipe);
        await new FramePipeline(tools).RunAsync(decode, null, info.FrameBytes, 2, parallel: false, (frame, _) =>
        {
            frames++;
            foreach (byte y in frame.AsSpan(0, info.Width * info.Height)) lowest = Math.Min(lowest, y);
        }, "white.mp4", TimeSpan.FromSeconds(60), default);
        Assert.Equal(10, frames);
        Assert.True(lowest >= 253, $"white arrived at luma {lowest} (235 = squeezed to video range)");

        var encode = VideoLabeler.EncodeCommand(ws, MediaFormat.Mp4, info, null, null, ws.PathFor("out.mp4"));
        var args = encode.Arguments;
        int input0 = IndexOfSequence(args, "-f", "rawvideo");
        Assert.True(input0 >= 0 && args[input0 + 2] == "-pix_fmt" && args[input0 + 3] == "yuvj420p", string.Join(' ', args));
        int output = IndexOfSequence(args, "-pix_fmt", "yuvj420p", input0 + 4);
        Assert.True(output > input0, "the encoder codes yuvj420p: " + string.Join(' ', args));
    }

    private static int IndexOfSequence(IReadOnlyList<string> args, string a, string b, int from = 0)
    {
        for (int i = from; i + 1 < args.Count; i++)
            if (args[i] == a && args[i + 1] == b) return i;
        return -1;
    }
}
