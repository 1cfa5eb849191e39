using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Metadata.Containers;
using LabelStamp.Tests.Audio;
using LabelStamp.TestSupport;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Tests.Metadata;

/// <summary>Routing an MP4 to the audio or the video path reads its track boxes, not an ffprobe run.</summary>
public class Mp4TracksTests
{
    private static byte[] Video => File.ReadAllBytes(RepoPaths.Samples("video", "pan-zoom.mp4"));

    /// <summary>A labeler whose ffprobe cannot start: any question the track boxes do not settle fails loudly.</summary>
    private static Mp4Kind WithoutProbe() => new(new ToolRunner(ffprobePath: "/nonexistent/ffprobe"));

    [Fact]
    public void Reads_handler_and_sample_entry_of_each_track()
    {
        var tracks = Mp4Tracks.Read(Video);
        Assert.NotNull(tracks);
        Assert.Equal([("vide", "avc1"), ("soun", "mp4a")], tracks!.OrderByDescending(t => t.Handler).ToArray());
    }

    [Fact]
    public void Reads_a_file_whose_moov_comes_after_the_media_data()
    {
        // ffmpeg's default layout (no faststart), the usual output of generators.
        string path = Path.Combine(Path.GetTempPath(), "moov-last-" + Guid.NewGuid().ToString("N") + ".mp4");
        byte[] moovLast;
        try
        {
            AudioFixtures.Ffmpeg("-f", "mov", "-i", RepoPaths.Samples("video", "pan-zoom.mp4"), "-t", "1", "-c", "copy", "-f", "mp4", "-y", path);
            moovLast = File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.True(moovLast.AsSpan().IndexOf("mdat"u8) < moovLast.AsSpan().IndexOf("moov"u8));
        Assert.Contains(("vide", "avc1"), Mp4Tracks.Read(moovLast)!);
    }

    [Fact]
    public void A_cut_file_or_one_without_moov_gives_no_answer()
    {
        byte[] video = Video;
        int moov = video.AsSpan().IndexOf("moov"u8) - 4;
        Assert.Null(Mp4Tracks.Read(video.AsSpan(0, moov + 200)));                // moov cut inside
        Assert.Null(Mp4Tracks.Read(video.AsSpan(0, Math.Max(moov, 40))));         // no moov at all (faststart: cut before it)
        Assert.Null(Mp4Tracks.Read([0, 0, 0, 8, (byte)'f', (byte)'r', (byte)'e']));
    }

    [Fact]
    public async Task A_video_and_an_m4a_are_routed_without_running_ffprobe()
    {
        var kind = WithoutProbe();
        Assert.Equal(MediaKind.Video, await kind.DecideAsync(Video, "video.mp4", TimeSpan.FromMinutes(1), default));
        byte[] m4a = AudioFixtures.Convert(AudioFixtures.Speech, ".m4a", ["-c:a", "aac", "-b:a", "64k"], seconds: 2);
        Assert.Equal(MediaKind.Audio, await kind.DecideAsync(m4a, "speech.m4a", TimeSpan.FromMinutes(1), default));
    }

    [Fact]
    public async Task Unreadable_boxes_fall_back_to_the_demuxer()
    {
        byte[] video = Video;
        int moov = video.AsSpan().IndexOf("moov"u8) - 4;
        var e = await Assert.ThrowsAsync<LabelStampException>(() =>
            WithoutProbe().DecideAsync(video.AsMemory(0, moov + 200), "cut.mp4", TimeSpan.FromMinutes(1), default));
        Assert.Equal(ErrorCode.ToolMissing, e.Code); // it asked ffprobe, which this labeler cannot start
    }
}
