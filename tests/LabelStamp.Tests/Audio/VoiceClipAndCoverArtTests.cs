using System.Text;
using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Audio;

namespace LabelStamp.Tests.Audio;

/// <summary>
/// The provider voice clip (spec §3) placed instead of the rhythm prompt and found by verify, and cover
/// art (MP3 APIC, FLAC PICTURE) kept byte for byte through the re-encode. The clip is 1.8 s of the
/// espeak speech sample; the host is 10 s of the music sample.
/// </summary>
public class VoiceClipAndCoverArtTests
{
    private static string MakeClip()
    {
        var clip = AudioFixtures.Convert(AudioFixtures.Speech, ".wav", ["-c:a", "pcm_s16le"], seconds: 1.8, start: 0.3);
        return AudioFixtures.WriteTemp(clip, ".wav");
    }

    [Fact]
    public async Task Voice_clip_is_placed_at_start_and_end_and_verify_reports_where()
    {
        string clipPath = MakeClip();
        try
        {
            var input = AudioFixtures.Convert(AudioFixtures.Music, ".mp3", ["-c:a", "libmp3lame", "-b:a", "128k"], seconds: 10);
            var policy = new LabelPolicy { VoiceClip = clipPath, AudioPromptAtEnd = true };
            var ctx = AudioFixtures.Context(MediaFormat.Mp3, "voice", basePolicy: policy);
            var (output, applied) = await new AudioLabeler().LabelAsync(input, ctx, default);
            Assert.Equal(Layers.Explicit | Layers.Metadata | Layers.Watermark, applied);

            var report = await new AudioInspector().InspectAsync(output, "out.mp3", null, default, voiceClipPath: clipPath);
            Assert.NotNull(report.VoiceClipAtStartSeconds);
            Assert.InRange(report.VoiceClipAtStartSeconds!.Value, 0, 0.06); // MP3 encoder delay
            Assert.NotNull(report.VoiceClipAtEndSeconds);
            Assert.InRange(report.VoiceClipAtEndSeconds!.Value, 10 - 1.9, 10 - 1.75);
            Assert.True(report.VoiceClipCorrelation >= VoiceClipDetector.Threshold);
            Assert.Null(report.RhythmAtStartSeconds); // the clip replaces the rhythm

            var original = await new AudioInspector().InspectAsync(input, "in.mp3", null, default, voiceClipPath: clipPath);
            Assert.Null(original.VoiceClipAtStartSeconds);
            Assert.Null(original.VoiceClipAtEndSeconds);
        }
        finally { File.Delete(clipPath); }
    }

    [Fact]
    public async Task A_voice_clip_that_is_not_audio_is_a_typed_error()
    {
        string bogus = AudioFixtures.WriteTemp(Encoding.ASCII.GetBytes("#EXTM3U\nhttp://example.invalid/a.mp3\n"), ".wav");
        try
        {
            var input = AudioFixtures.Convert(AudioFixtures.Music, ".flac", ["-c:a", "flac"], seconds: 3);
            var ctx = AudioFixtures.Context(MediaFormat.Flac, "bad-clip", basePolicy: new LabelPolicy { VoiceClip = bogus });
            var e = await Assert.ThrowsAsync<LabelStampException>(() => new AudioLabeler().LabelAsync(input, ctx, default));
            Assert.Equal(ErrorCode.InvalidVoiceClip, e.Code);
            var missing = AudioFixtures.Context(MediaFormat.Flac, "no-clip", basePolicy: new LabelPolicy { VoiceClip = bogus + ".gone" });
            var m = await Assert.ThrowsAsync<LabelStampException>(() => new AudioLabeler().LabelAsync(input, missing, default));
            Assert.Equal(ErrorCode.InvalidVoiceClip, m.Code);
        }
        finally { File.Delete(bogus); }
    }

    [Theory]
    [InlineData(".mp3", "libmp3lame", "cover.jpg")]
    [InlineData(".flac", "flac", "cover.png")]
    [InlineData(".m4a", "aac", "cover.jpg")] // ffmpeg drops covr when it writes the AIGC key; Mp4ItemList puts it back
    public async Task Cover_art_survives_stamping_byte_for_byte(string ext, string codec, string coverName)
    {
        string dir = Path.Combine(Path.GetTempPath(), "ls-cover-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string cover = Path.Combine(dir, coverName), src = Path.Combine(dir, "in" + ext);
            AudioFixtures.Ffmpeg("-f", "lavfi", "-i", "testsrc=size=96x96:rate=1", "-frames:v", "1", "-y", cover);
            AudioFixtures.Ffmpeg("-i", AudioFixtures.Music, "-i", cover, "-t", "4", "-map", "0:a", "-map", "1:v", "-c:a", codec,
                "-c:v", "copy", "-disposition:v:0", "attached_pic", "-y", src);
            var input = File.ReadAllBytes(src);
            var format = MediaSniffer.Sniff(input, src);
            var (output, _) = await new AudioLabeler().LabelAsync(input, AudioFixtures.Context(format, "cover" + ext), default);
            string outPath = Path.Combine(dir, "out" + ext);
            File.WriteAllBytes(outPath, output);

            byte[] Picture(string path) => AudioFixtures.Ffmpeg("-i", path, "-map", "0:v", "-c", "copy", "-f", "image2pipe", "pipe:1");
            byte[] before = Picture(src), after = Picture(outPath);
            Assert.NotEmpty(before);
            Assert.Equal(before, after);
            string dispositions = Encoding.UTF8.GetString(AudioFixtures.Run("/usr/bin/ffprobe",
                ["-v", "error", "-show_entries", "stream=codec_type:stream_disposition=attached_pic", "-of", "csv=p=0", outPath]));
            Assert.Contains("video,1", dispositions);
            // ...and the AIGC label is there beside it, for ffprobe and exiftool alike.
            string aigc = Encoding.UTF8.GetString(AudioFixtures.Run("/usr/bin/ffprobe",
                ["-v", "error", "-show_entries", "format_tags=AIGC", "-of", "default=nw=1:nk=1", outPath])).Trim();
            Assert.StartsWith("{\"Label\":\"1\"", aigc);
            Assert.Contains(aigc, Encoding.UTF8.GetString(AudioFixtures.Run("/usr/bin/exiftool", ["-a", "-s3", outPath])));
        }
        finally { Directory.Delete(dir, true); }
    }
}
