using System.Diagnostics;
using System.Text;
using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;
using LabelStamp.TestSupport;

namespace LabelStamp.Tests.Video;

/// <summary>Spec §10 for video: typed errors with stable codes, never a crash or a hang; the forced
/// demuxer on a private copy means a playlist is never followed.</summary>
public class VideoBadInputTests
{
    private static readonly VideoLabeler Labeler = new(options: VideoFixture.FastOptions);

    private static StampContext Context(MediaFormat format, MediaLimits? limits = null)
    {
        var id = MarkId.Compute(VideoFixture.Key, VideoFixture.Producer, "bad");
        return new StampContext("bad" + format.Extension, format, new StampRequest("bad", VideoFixture.Producer, new LabelPolicy()),
            VideoFixture.Key, id, new AigcLabel(AigcLabel.Generated, VideoFixture.Producer, "bad"), limits ?? new MediaLimits(), new StageTimings());
    }

    private static async Task<LabelStampException> Fails(byte[] bytes, MediaFormat format, MediaLimits? limits = null)
    {
        var sw = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<LabelStampException>(() => Labeler.LabelAsync(bytes, Context(format, limits), default));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), "took too long");
        return e;
    }

    private static byte[] Sample => File.ReadAllBytes(RepoPaths.Samples("video", "pan-zoom.mp4"));

    /// <summary>The sample with moov first (faststart), so cutting it leaves a valid index over missing frames.</summary>
    private static byte[] FastStart()
    {
        string path = Path.Combine(Path.GetTempPath(), "ls-faststart-" + Guid.NewGuid().ToString("N") + ".mp4");
        try
        {
            VideoFixture.Ffmpeg("-i", RepoPaths.Samples("video", "pan-zoom.mp4"), "-c", "copy", "-movflags", "+faststart", path);
            return File.ReadAllBytes(path);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task A_truncated_mp4_is_a_typed_error()
    {
        byte[] full = FastStart();
        var e = await Fails(full[..(full.Length * 6 / 10)], MediaFormat.Mp4);
        Assert.Equal(ErrorCode.TruncatedInput, e.Code);
        Assert.Contains("of 150 video frames", e.Message);
    }

    [Fact]
    public async Task A_moov_less_mp4_is_a_typed_error()
    {
        byte[] full = Sample; // moov last: cutting before it leaves ftyp + mdat only
        int moov = full.AsSpan().IndexOf("moov"u8) - 4;
        Assert.True(moov > full.AsSpan().IndexOf("mdat"u8));
        var e = await Fails(full[..moov], MediaFormat.Mp4);
        Assert.Equal(ErrorCode.CorruptInput, e.Code);
    }

    [Theory]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile://{0}\n#EXT-X-ENDLIST\n")]
    [InlineData("ffconcat version 1.0\nfile '{0}'\n")]
    public async Task A_playlist_named_mp4_is_refused_and_never_followed(string template)
    {
        string target = RepoPaths.Samples("video", "pan-zoom.mp4");
        byte[] playlist = Encoding.ASCII.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, target));
        var sniff = Assert.Throws<LabelStampException>(() => MediaSniffer.Sniff(playlist, "clip.mp4"));
        Assert.Equal(ErrorCode.HostileInput, sniff.Code);
        // Even past the sniffer, ffmpeg gets a private copy with -f mov forced, so it is not read as a playlist.
        var e = await Fails(playlist, MediaFormat.Mp4);
        Assert.Equal(ErrorCode.CorruptInput, e.Code);
        // And behind a valid ftyp box the playlist is still not followed.
        byte[] disguised = [0, 0, 0, 16, .. "ftypisom"u8, 0, 0, 2, 0, .. playlist];
        Assert.Equal(MediaFormat.Mp4, MediaSniffer.Sniff(disguised, "clip.mp4"));
        Assert.Equal(ErrorCode.CorruptInput, (await Fails(disguised, MediaFormat.Mp4)).Code);
    }

    [Fact]
    public async Task Resolution_duration_and_frame_limits_are_checked_before_decoding()
    {
        var pixels = await Fails(Sample, MediaFormat.Mp4, new MediaLimits { MaxPixels = 500_000 });
        Assert.Equal(ErrorCode.TooManyPixels, pixels.Code);
        var duration = await Fails(Sample, MediaFormat.Mp4, new MediaLimits { MaxDuration = TimeSpan.FromSeconds(5) });
        Assert.Equal(ErrorCode.DurationTooLong, duration.Code);
        var frames = await Fails(Sample, MediaFormat.Mp4, new MediaLimits { MaxFrames = 100 });
        Assert.Equal(ErrorCode.TooManyFrames, frames.Code);
    }

    [Theory]
    [InlineData(100_000, 100_000, "25/1", 10.0, 250, ErrorCode.TooManyPixels)]
    [InlineData(1920, 1080, "25/1", 10.0, 999_999_999_999, ErrorCode.TooManyFrames)]
    [InlineData(1920, 1080, "25/1", 1e12, 250, ErrorCode.DurationTooLong)]
    [InlineData(1920, 1080, "0/0", 10.0, 250, ErrorCode.CorruptInput)]
    [InlineData(1921, 1080, "25/1", 10.0, 250, ErrorCode.UnsupportedPixelFormat)]
    public void Absurd_headers_are_refused_from_the_probe(int w, int h, string rate, double seconds, long frames, ErrorCode code)
    {
        string dur = seconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        string json = "{\"streams\":[{\"codec_name\":\"h264\",\"codec_type\":\"video\",\"width\":" + w + ",\"height\":" + h
            + ",\"pix_fmt\":\"yuv420p\",\"r_frame_rate\":\"" + rate + "\",\"avg_frame_rate\":\"" + rate + "\",\"nb_frames\":\"" + frames
            + "\"}],\"format\":{\"duration\":\"" + dur + "\"}}";
        var e = Assert.Throws<LabelStampException>(() => VideoProbe.Parse(json, MediaFormat.Mp4, "mp4", "x.mp4", new MediaLimits()));
        Assert.Equal(code, e.Code);
    }

    [Fact]
    public async Task Every_ffmpeg_call_has_a_timeout()
    {
        var e = await Fails(Sample, MediaFormat.Mp4, new MediaLimits { ToolTimeout = TimeSpan.FromMilliseconds(1) });
        Assert.Equal(ErrorCode.ToolTimeout, e.Code);
    }

    [Fact]
    public async Task Audio_only_matroska_is_a_typed_error()
    {
        byte[] mka = Audio.AudioFixtures.Convert(Audio.AudioFixtures.Speech, ".mka", ["-c:a", "libopus"], seconds: 1);
        Assert.Equal(ErrorCode.UnsupportedFormat, (await Fails(mka, MediaFormat.Matroska)).Code);
    }
}
