using LabelStamp.Labels;
using LabelStamp.Robustness.Audio;

namespace LabelStamp.Tests.Audio;

/// <summary>
/// Every whole second of a stamped file keeps SNR ≥ 30 dB (mark vs host), also where the host jumps
/// between loud and quiet: the frame governor's running budget would let a quiet second inherit a loud
/// one's, and a frame straddling a loud-to-silent edge spreads its mark over the whole frame. Input:
/// synthetic music (seed 31) cut into loud and −50 dB stretches with edges off the second grid, a
/// digital-silence second that ends in a 40 ms burst, and a second that is silent after its first
/// 30 ms; stamped through the product's sample processor at 16, 44.1 and 48 kHz.
/// </summary>
public class AudioSecondSnrTests
{
    private static readonly MarkId Id = new(0x0123456789abcdefUL);

    private static float[] Transitions(int rate, int channels)
    {
        var x = SyntheticAudio.Music(rate, channels, 9, seed: 31);
        // (from s, to s, gain): loud/quiet edges at 0.7, 1.93, 3.05, 4.6 s; 5–6 s silent but for its
        // last 40 ms; 6.03–7 s silent; 7–9 s loud.
        (double From, double To, double Gain)[] plan =
        [
            (0.7, 1.93, 0.003), (3.05, 4.6, 0.003), (5.0, 5.96, 0), (6.03, 7.0, 0),
        ];
        for (int i = 0; i < x.Length / channels; i++)
        {
            double t = i / (double)rate;
            foreach (var (from, to, gain) in plan)
                if (t >= from && t < to)
                    for (int c = 0; c < channels; c++) x[i * channels + c] *= (float)gain;
        }
        return x;
    }

    [Theory]
    [InlineData(16_000, 1)]
    [InlineData(44_100, 2)]
    [InlineData(48_000, 1)]
    public async Task Every_whole_second_stays_at_30_dB_across_loud_quiet_and_silent_edges(int rate, int channels)
    {
        var pcm = Transitions(rate, channels);
        var marked = await AudioMarkTrial.StampAsync(pcm, rate, channels, AudioFixtures.Key, Id);
        Assert.NotNull(marked);
        int second = rate * channels, checkedSeconds = 0;
        for (int a = 0; a + second <= pcm.Length; a += second)
        {
            double s = 0, e = 0;
            for (int i = a; i < a + second; i++) { s += (double)pcm[i] * pcm[i]; double d = marked[i] - pcm[i]; e += d * d; }
            if (e == 0) continue; // nothing marked (a silent second): no SNR to hold
            checkedSeconds++;
            Assert.True(s > 0, $"{rate} Hz second {a / second}: mark in a digitally silent second");
            Assert.True(10 * Math.Log10(s / e) >= 30, $"{rate} Hz second {a / second}: SNR {10 * Math.Log10(s / e):0.00} dB");
        }
        Assert.True(checkedSeconds >= 8, $"only {checkedSeconds} seconds carried a mark");
        // The mark is still there: the limiter clips only the edges.
        var found = AudioMarkTrial.Detect(marked, rate, channels, AudioFixtures.Key);
        Assert.Equal(Id, found?.Payload.MarkId);
    }
}
