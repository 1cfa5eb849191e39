using System.Globalization;
using System.Runtime.InteropServices;
using LabelStamp.Labels;
using LabelStamp.Marks.Audio;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Robustness.Audio;

namespace LabelStamp.Tests.Audio;

/// <summary>
/// The rate model (docs/audio.md): the mark is defined at 22.05 kHz, so a file is read whatever rate
/// it was resampled to, and sources from 16 kHz carry it. Inputs: synthetic music (seed 7) and two
/// short TTS clips made from Debian packages (Audio/Clips/README.md); every case is stamped through the
/// product's sample processor (<see cref="AudioMarkTrial.StampAsync"/>) with the test key, attacked by
/// ffmpeg, and read at the rate the attacked file has.
/// </summary>
public class AudioRateModelTests
{
    private static readonly MarkId Id = new(0x0fedcba987654321UL);
    private static readonly MarkKey WrongKey = MarkKey.FromBytes(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());

    private static string Clip(string name)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string p = Path.Combine(d.FullName, "tests", "LabelStamp.Tests", "Audio", "Clips", name);
            if (File.Exists(p)) return p;
        }
        throw new FileNotFoundException($"test clip {name} not found above the test binaries");
    }

    private static float[] Floats(byte[] bytes) => MemoryMarshal.Cast<byte, float>(bytes).ToArray();

    private static string Inv(double v) => v.ToString(CultureInfo.InvariantCulture);

    private static float[] Decode(string path, int rate) =>
        Floats(AudioFixtures.Ffmpeg("-i", path, "-f", "f32le", "-ac", "1", "-ar", Inv(rate), "pipe:1"));

    /// <summary>Writes the PCM, runs it through ffmpeg (optional excerpt, filter and codec), and decodes
    /// the result at <paramref name="readRate"/> (the attacked file's own rate).</summary>
    private static float[] Attack(float[] pcm, int rate, int channels, string extension, string[] codec, int readRate,
        double start = 0, double seconds = 0, string? filter = null)
    {
        string raw = AudioFixtures.WriteTemp(MemoryMarshal.AsBytes(pcm.AsSpan()).ToArray(), ".f32");
        string coded = Path.Combine(Path.GetTempPath(), "ls-audio-test-" + Guid.NewGuid().ToString("N") + extension);
        try
        {
            var args = new List<string> { "-f", "f32le", "-ar", Inv(rate), "-ac", Inv(channels) };
            if (start > 0) args.AddRange(["-ss", Inv(start)]);
            args.AddRange(["-i", raw]);
            if (seconds > 0) args.AddRange(["-t", Inv(seconds)]);
            if (filter is not null) args.AddRange(["-af", filter]);
            args.AddRange(codec);
            args.AddRange(["-y", coded]);
            AudioFixtures.Ffmpeg([.. args]);
            return Floats(AudioFixtures.Ffmpeg("-i", coded, "-f", "f32le", "-ac", Inv(channels), "-ar", Inv(readRate), "pipe:1"));
        }
        finally { File.Delete(raw); File.Delete(coded); }
    }

    private static async Task<float[]> StampAsync(float[] pcm, int rate, int channels) =>
        await AudioMarkTrial.StampAsync(pcm, rate, channels, AudioFixtures.Key, Id) ?? throw new InvalidOperationException("not marked");

    private static void AssertReads(float[] pcm, int rate, int channels, string what)
    {
        var d = AudioMarkTrial.Detect(pcm, rate, channels, AudioFixtures.Key);
        Assert.True(d is not null, $"{what}: mark not read");
        Assert.Equal(Id, d!.Payload.MarkId);
        Assert.True(d.FalsePositiveProbability <= 1e-9, $"{what}: bound {d.FalsePositiveProbability:g3}");
    }

    [Fact]
    public async Task A_stamped_44k1_file_is_read_at_48k_and_not_with_a_wrong_key()
    {
        var pcm = SyntheticAudio.Music(44_100, 2, 12, seed: 7);
        var marked = await StampAsync(pcm, 44_100, 2);
        var at48 = Attack(marked, 44_100, 2, ".wav", ["-c:a", "pcm_f32le", "-ar", "48000"], 48_000);
        AssertReads(at48, 48_000, 2, "44.1 kHz stamped, read at 48 kHz");
        Assert.Null(AudioMarkTrial.Detect(at48, 48_000, 2, WrongKey));
        Assert.Null(AudioMarkTrial.Detect(Attack(pcm, 44_100, 2, ".wav", ["-c:a", "pcm_f32le", "-ar", "48000"], 48_000), 48_000, 2, AudioFixtures.Key));
    }

    [Fact]
    public async Task A_22k05_tts_clip_survives_mp3_64k_and_opus()
    {
        var pcm = Decode(Clip("tts-espeak-22k05.flac"), 22_050);
        var marked = await StampAsync(pcm, 22_050, 1);
        AssertReads(Attack(marked, 22_050, 1, ".mp3", ["-c:a", "libmp3lame", "-b:a", "64k"], 22_050), 22_050, 1, "TTS 22.05 kHz, MP3 64k");
        AssertReads(Attack(marked, 22_050, 1, ".ogg", ["-c:a", "libopus", "-b:a", "64k"], 48_000), 48_000, 1, "TTS 22.05 kHz, Opus 64k (48 kHz)");
        AssertReads(Attack(marked, 22_050, 1, ".ogg", ["-c:a", "libopus", "-b:a", "32k"], 48_000), 48_000, 1, "TTS 22.05 kHz, Opus 32k (48 kHz)");
    }

    [Fact]
    public async Task A_5s_opus_excerpt_of_the_tts_clip_is_read()
    {
        var pcm = Decode(Clip("tts-espeak-22k05.flac"), 22_050);
        var marked = await StampAsync(pcm, 22_050, 1);
        var excerpt = Attack(marked, 22_050, 1, ".ogg", ["-c:a", "libopus", "-b:a", "64k"], 48_000, start: 3.37, seconds: 5);
        AssertReads(excerpt, 48_000, 1, "5 s excerpt at 3.37 s, Opus 64k");
    }

    [Fact]
    public async Task A_16k_clip_carries_the_mark_through_mp3_and_a_48k_resample()
    {
        var pcm = Decode(Clip("tts-festival-16k.flac"), 16_000);
        var marked = await StampAsync(pcm, 16_000, 1);
        AssertReads(marked, 16_000, 1, "16 kHz clean");
        AssertReads(Attack(marked, 16_000, 1, ".mp3", ["-c:a", "libmp3lame", "-b:a", "64k"], 16_000), 16_000, 1, "16 kHz, MP3 64k");
        AssertReads(Attack(marked, 16_000, 1, ".wav", ["-c:a", "pcm_f32le", "-ar", "48000"], 48_000), 48_000, 1, "16 kHz read at 48 kHz");
    }

    [Theory]
    [InlineData(1.02)]
    [InlineData(0.98)]
    public async Task A_resampling_speed_change_of_2_percent_is_read_and_its_factor_reported(double speed)
    {
        var pcm = SyntheticAudio.Music(44_100, 2, 12, seed: 7);
        var marked = await StampAsync(pcm, 44_100, 2);
        var changed = Attack(marked, 44_100, 2, ".wav", ["-c:a", "pcm_f32le"], 44_100,
            filter: $"asetrate={Inv(44_100 * speed)},aresample=44100");
        var d = AudioMarkTrial.Detect(changed, 44_100, 2, AudioFixtures.Key);
        Assert.True(d is not null, $"speed {speed}: mark not read");
        Assert.Equal(Id, d!.Payload.MarkId);
        Assert.Equal(speed, d.Speed, 3);
    }

    /// <summary>A long speed-changed file: after the 20 s speed search the detector keeps the lane the
    /// mark was found in (not only lane 1), so every block of the 45 s file is soft-combined — what
    /// noise-like content needs (bench/AUDIO.md: a 120 s ambience read only through all its blocks).
    /// Synthetic music, seed 9, 16 kHz mono, +1.5 % (between two lanes).</summary>
    [Fact]
    public async Task A_long_speed_changed_file_is_read_through_all_its_blocks()
    {
        var pcm = SyntheticAudio.Music(16_000, 1, 45, seed: 9);
        var marked = await StampAsync(pcm, 16_000, 1);
        var changed = Attack(marked, 16_000, 1, ".wav", ["-c:a", "pcm_f32le"], 16_000,
            filter: $"asetrate={Inv(16_000 * 1.015)},aresample=16000");
        var d = AudioMarkTrial.Detect(changed, 16_000, 1, AudioFixtures.Key);
        Assert.True(d is not null, "mark not read");
        Assert.Equal(Id, d!.Payload.MarkId);
        Assert.NotEqual(1.0, d.Speed);
        // 45 s / 1.015 ≈ 44.3 s ≈ 8.8 blocks of 5.02 s; the speed search alone covers 20 s (4 blocks).
        Assert.True(d.BlocksSeen >= 8, $"only {d.BlocksSeen} blocks combined at speed {d.Speed}");
    }

    /// <summary>Below 16 kHz the labeler applies the other layers and says the watermark is not among them.</summary>
    [Fact]
    public async Task Below_16k_the_watermark_layer_is_not_applied()
    {
        var pcm = SyntheticAudio.Music(11_025, 1, 3, seed: 7);
        Assert.Null(await AudioMarkTrial.StampAsync(pcm, 11_025, 1, AudioFixtures.Key, Id));
        string raw = AudioFixtures.WriteTemp(MemoryMarshal.AsBytes(pcm.AsSpan()).ToArray(), ".f32");
        string src = Path.Combine(Path.GetTempPath(), "ls-audio-test-" + Guid.NewGuid().ToString("N") + ".wav");
        try
        {
            AudioFixtures.Ffmpeg("-f", "f32le", "-ar", "11025", "-ac", "1", "-i", raw, "-c:a", "pcm_s16le", "-y", src);
            var labeler = new AudioLabeler();
            var (_, applied) = await labeler.LabelAsync(File.ReadAllBytes(src), AudioFixtures.Context(MediaFormat.Wav, "low-rate",
                Layers.Explicit | Layers.Metadata | Layers.Watermark), default);
            Assert.Equal(Layers.Explicit | Layers.Metadata, applied);
        }
        finally { File.Delete(raw); File.Delete(src); }
    }
}
