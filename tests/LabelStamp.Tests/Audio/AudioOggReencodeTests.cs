using System.Globalization;
using System.Runtime.InteropServices;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Robustness.Audio;

namespace LabelStamp.Tests.Audio;

/// <summary>
/// The product's own Ogg Vorbis re-encode must leave enough of the mark for an excerpt: stamped Ogg
/// files used to be re-encoded at the input's nominal bitrate, which libvorbis undershoots, and their
/// 5 s excerpts were mostly lost (bench/AUDIO.md). Input: synthetic music (seed 11), 44.1 kHz stereo,
/// 20 s, as Ogg Vorbis at a nominal 128 kbit/s (107 kbit/s actual); stamped with the watermark layer alone by
/// <see cref="AudioLabeler"/>, decoded, and cut at three offsets off the frame grid. Measured when
/// written: the re-encode at quality 7 leaves 33–43 raw coded-bit errors of 330 in these excerpts; the
/// old rule (-b:a 112k for this input) left 55–80 and none of the three was read.
/// </summary>
public class AudioOggReencodeTests
{
    private static string Inv(double v) => v.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Five_second_excerpts_of_a_stamped_ogg_vorbis_file_are_read()
    {
        var pcm = SyntheticAudio.Music(44_100, 2, 20, seed: 11);
        string raw = AudioFixtures.WriteTemp(MemoryMarshal.AsBytes(pcm.AsSpan()).ToArray(), ".f32");
        byte[] input;
        try { input = AudioFixtures.Convert(raw, ".ogg", ["-c:a", "libvorbis", "-b:a", "128k"], inputFormat: ["-f", "f32le", "-ar", "44100", "-ac", "2"]); }
        finally { File.Delete(raw); }

        var ctx = AudioMarkTrial.WatermarkOnly("in.ogg", MediaFormat.Ogg, AudioFixtures.Key, new MarkId(0x1122334455667788UL));
        var (output, applied) = await new AudioLabeler().LabelAsync(input, ctx, default);
        Assert.Equal(Layers.Watermark, applied);

        string stamped = AudioFixtures.WriteTemp(output, ".ogg");
        try
        {
            foreach (double start in new[] { 1.37, 7.91, 13.05 })
            {
                var excerpt = MemoryMarshal.Cast<byte, float>(AudioFixtures.Ffmpeg("-ss", Inv(start), "-i", stamped, "-t", "5",
                    "-f", "f32le", "-ac", "2", "pipe:1")).ToArray();
                var d = AudioMarkTrial.Detect(excerpt, 44_100, 2, AudioFixtures.Key);
                Assert.True(d is not null, $"5 s excerpt at {start} s of the stamped Ogg Vorbis file: mark not read");
                Assert.Equal(ctx.MarkId, d!.Payload.MarkId);
            }
        }
        finally { File.Delete(stamped); }
    }
}
