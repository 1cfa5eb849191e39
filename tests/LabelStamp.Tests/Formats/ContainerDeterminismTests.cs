using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Video;
using LabelStamp.Tests.Audio;
using LabelStamp.Tests.Video;

namespace LabelStamp.Tests.Formats;

/// <summary>
/// Spec §7: a replayed message must give the same output bytes, so a store or CDN overwrites instead of holding two
/// versions. ffmpeg's Ogg muxer draws a random serial number per stream and its Matroska muxer a random segment UID
/// and the date, unless told to be bit-exact; these stamp the same input twice and compare. Inputs are made here: a
/// 2 s Vorbis clip of the speech sample, and a 1 s 256×256 VP9 + Opus WebM of ffmpeg's test pattern.
/// </summary>
public sealed class ContainerDeterminismTests
{
    [Fact]
    public async Task An_ogg_stamped_twice_is_the_same_bytes()
    {
        byte[] ogg = AudioFixtures.Convert(AudioFixtures.Speech, ".ogg", ["-c:a", "libvorbis", "-b:a", "96k"], seconds: 2);
        var labeler = new AudioLabeler();
        var (first, applied) = await labeler.LabelAsync(ogg, AudioFixtures.Context(MediaFormat.Ogg, "replay"), default);
        var (second, _) = await labeler.LabelAsync(ogg, AudioFixtures.Context(MediaFormat.Ogg, "replay"), default);
        Assert.Equal(Layers.Explicit | Layers.Watermark | Layers.Metadata, applied);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task A_webm_whose_record_is_written_twice_is_the_same_bytes()
    {
        string path = Path.Combine(Path.GetTempPath(), "ls-determinism-" + Guid.NewGuid().ToString("N")[..8] + ".webm");
        try
        {
            VideoFixture.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=256x256:rate=25:duration=1", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=1",
                "-c:v", "libvpx-vp9", "-b:v", "200k", "-deadline", "realtime", "-cpu-used", "8", "-c:a", "libopus", "-f", "webm", path);
            byte[] webm = File.ReadAllBytes(path);
            var labeler = new VideoLabeler(options: VideoFixture.FastOptions);
            var (first, applied) = await labeler.LabelAsync(webm, AudioFixtures.Context(MediaFormat.Matroska, "replay", Layers.Metadata), default);
            var (second, _) = await labeler.LabelAsync(webm, AudioFixtures.Context(MediaFormat.Matroska, "replay", Layers.Metadata), default);
            Assert.Equal(Layers.Metadata, applied);
            Assert.Equal(first, second);
            Assert.Equal(0x1A, first[0]);
        }
        finally { File.Delete(path); }
    }
}
