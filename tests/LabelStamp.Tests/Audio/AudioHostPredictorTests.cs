using LabelStamp.Labels;
using LabelStamp.Marks.Audio;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Tests.Audio;

/// <summary>
/// The detector's host removal in time: a band's value minus c_b times the neighbouring frames' mean,
/// c_b learnt per band. On a noise-like host (fresh noise every frame, as an ambience or a band a
/// low-rate codec refills) the fixed c = 1 only adds the neighbours' noise; on held notes c stays near
/// 1. Both detectors read the same marked samples; d′ is the soft bits' mean over their spread, signed
/// by the true coded bits (the oracle view), so the comparison does not depend on a decode succeeding.
/// </summary>
public class AudioHostPredictorTests
{
    private static readonly MarkKey Key = MarkKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)(i * 3)).ToArray());
    private static readonly MarkId Id = new(0x5eed_0f_a11_b1a5UL);

    /// <summary>Noise with a gentle low-pass, the spectrum of a river or rain loop (seed 31).</summary>
    private static float[] Ambience(int rate, double seconds)
    {
        var rng = new Random(31);
        var x = new float[(int)(rate * seconds)];
        double lp = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double w = rng.NextDouble() * 2 - 1;
            lp = 0.6 * lp + 0.4 * w;
            x[i] = (float)(0.2 * lp);
        }
        return x;
    }

    private static double DPrime(ReadOnlySpan<float> pcm, int rate, AudioMarkDetector.HostRemoval host)
    {
        var d = new AudioMarkDetector(new AudioMarkLayout(Key), rate, 1, host);
        d.Add(pcm);
        return d.Oracle(PayloadCodec.Encode(MarkPayload.For(Id, Key))).DPrime;
    }

    [Fact]
    public void On_a_noise_like_host_the_learnt_coefficient_gives_more_evidence_per_bit()
    {
        const int rate = 44_100;
        var marked = AudioMarkTests.Embed(Ambience(rate, 12), rate, 1, Key, Id);
        var excerpt = marked.AsSpan((int)(3.1 * rate) + 17, 5 * rate);
        double fixedD = DPrime(excerpt, rate, AudioMarkDetector.HostRemoval.Fixed);
        double learnt = DPrime(excerpt, rate, AudioMarkDetector.HostRemoval.AdaptiveTemporal);
        // i.i.d. host noise: the fixed temporal high-pass has 1.5× its variance, the learnt one ≈ 1×.
        Assert.True(learnt > 1.1 * fixedD, $"d′ learnt {learnt:F2} vs fixed {fixedD:F2}");
    }

    [Fact]
    public void On_held_notes_the_learnt_coefficient_loses_nothing_and_reads_a_5s_excerpt()
    {
        const int rate = 44_100;
        var marked = AudioMarkTests.Embed(SyntheticAudio.Music(rate, 1, 12, seed: 7), rate, 1, Key, Id);
        var excerpt = marked.AsSpan((int)(4.2 * rate) + 5, 5 * rate);
        double fixedD = DPrime(excerpt, rate, AudioMarkDetector.HostRemoval.Fixed);
        double learnt = DPrime(excerpt, rate, AudioMarkDetector.HostRemoval.AdaptiveTemporal);
        Assert.True(learnt >= fixedD, $"d′ learnt {learnt:F2} vs fixed {fixedD:F2}");
        var read = AudioMarkTests.Detect(excerpt, rate, 1, Key);
        Assert.NotNull(read);
        Assert.Equal(Id, read!.Payload.MarkId);
    }
}
