using LabelStamp.Labels;
using LabelStamp.Media.Audio;
using LabelStamp.Robustness.Audio;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Tests.Audio;

/// <summary>
/// The attack harness itself (shared by the tests and the corpus bench): each rate and codec attack
/// hands back audio at the rate the attacked file really has, speed changes change the length, and
/// the product-path stamp marks the samples. Synthetic music, seed 15.
/// </summary>
public class AudioAttackHarnessTests
{
    private static readonly float[] Music = SyntheticAudio.Music(44_100, 2, 6, seed: 15);

    [Theory]
    [InlineData("resample@48k", 48_000, 1.0)]
    [InlineData("resample@16k", 16_000, 1.0)]
    [InlineData("opus-64k@48k", 48_000, 1.0)]
    [InlineData("aac-64k@48k", 48_000, 1.0)]
    [InlineData("resample-22.05k", 44_100, 1.0)]
    [InlineData("speed+2%", 44_100, 1 / 1.02)]
    [InlineData("speed-2%", 44_100, 1 / 0.98)]
    [InlineData("excerpt-5s-resample@32k", 32_000, 5 / 6.0)]
    public async Task An_attack_returns_audio_at_the_rate_it_is_read_at(string name, int rate, double lengthRatio)
    {
        var attack = AudioAttackSuite.Named([name]).Single();
        var r = await attack.AttackAsync(Music, 44_100, 2, new ToolRunner(), default);
        Assert.Equal(rate, r.SampleRate);
        Assert.Equal(rate, attack.OutputRate(44_100));
        Assert.Equal(2, r.Channels);
        // Codec padding and resampler delay move the length by a few ms at most.
        Assert.InRange(r.Seconds, 6 * lengthRatio - 0.03, 6 * lengthRatio + 0.03);
    }

    [Fact]
    public async Task The_spec_form_refuses_an_attack_read_at_another_rate()
    {
        var attack = AudioAttackSuite.Named(["resample@48k"]).Single();
        await Assert.ThrowsAsync<InvalidOperationException>(() => attack.ApplyAsync(Music, 44_100, 2, new ToolRunner(), default));
    }

    [Fact]
    public void Suite_names_are_unique_and_unknown_names_are_refused()
    {
        Assert.Equal(AudioAttackSuite.Extended.Count, AudioAttackSuite.Extended.Select(a => a.Name).Distinct().Count());
        Assert.Equal(AudioAttackSuite.All.Count + 20, AudioAttackSuite.Extended.Count);
        var e = Assert.Throws<ArgumentException>(() => AudioAttackSuite.Named(["mp3-64k", "resample@96k"]));
        Assert.Contains("resample@96k", e.Message);
    }

    [Fact]
    public async Task The_product_path_stamp_marks_the_pcm_and_the_mark_reads_back()
    {
        var id = new MarkId(0x0123456789abcdefUL);
        var stamped = await AudioMarkTrial.StampAsync(Music, 44_100, 2, AudioFixtures.Key, id);
        Assert.NotNull(stamped);
        Assert.Equal(Music.Length, stamped.Length);
        Assert.NotEqual(Music, stamped);
        Assert.Equal(id, AudioMarkTrial.Detect(stamped, 44_100, 2, AudioFixtures.Key)?.Payload.MarkId);
    }
}
