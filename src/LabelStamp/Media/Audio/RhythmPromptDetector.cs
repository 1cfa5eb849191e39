namespace LabelStamp.Media.Audio;

/// <summary>
/// Finds the rhythm prompt in mono samples: a Goertzel filter at the prompt frequency over 10 ms hops
/// gives the share of each hop's energy that sits at that frequency; the short-long-short-short
/// template is then slid over that envelope (a matched filter on the on/off pattern). Found means every
/// tone segment is dominated by the tone (share ≥ <see cref="OnShare"/>) and every gap is not
/// (≤ <see cref="GapShare"/>) — a sustained 1 kHz note or a different rhythm does not pass.
/// </summary>
public sealed class RhythmPromptDetector(RhythmPrompt prompt)
{
    public const double OnShare = 0.6;
    public const double GapShare = 0.3;
    private const double HopMs = 10;

    /// <summary>The prompt's start in seconds from the start of <paramref name="mono"/>, or null.</summary>
    public double? Find(ReadOnlySpan<float> mono, int sampleRate)
    {
        int hop = (int)(sampleRate * HopMs / 1000);
        int hops = mono.Length / hop;
        if (hops == 0) return null;
        var share = new double[hops];
        double w = 2 * Math.PI * prompt.FrequencyHz / sampleRate, coeff = 2 * Math.Cos(w);
        for (int h = 0; h < hops; h++)
        {
            var x = mono.Slice(h * hop, hop);
            double s1 = 0, s2 = 0, energy = 0;
            foreach (float v in x)
            {
                double s0 = v + coeff * s1 - s2;
                s2 = s1; s1 = s0;
                energy += (double)v * v;
            }
            double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
            share[h] = energy < 1e-9 ? 0 : Math.Min(1, 2 * power / (hop * energy));
        }
        var on = prompt.Segments();
        var gaps = new (double, double)[on.Length - 1];
        for (int i = 0; i < gaps.Length; i++) gaps[i] = (on[i].Start + on[i].Length, on[i + 1].Start - on[i].Start - on[i].Length);
        int span = (int)Math.Ceiling(prompt.TotalMs / HopMs);
        double bestScore = double.NegativeInfinity;
        int bestStart = -1;
        for (int s = 0; s + span <= hops; s++)
        {
            double onMin = double.PositiveInfinity, gapMax = 0;
            foreach (var (a, len) in on) onMin = Math.Min(onMin, Mean(share, s, a, len));
            foreach (var (a, len) in gaps) gapMax = Math.Max(gapMax, Mean(share, s, a, len));
            if (onMin < OnShare || gapMax > GapShare) continue;
            double score = onMin - gapMax;
            if (score > bestScore) { bestScore = score; bestStart = s; }
        }
        return bestStart < 0 ? null : bestStart * (double)hop / sampleRate;
    }

    /// <summary>Mean share over a segment, leaving out 2 hops at each edge (ramps and hop misalignment).</summary>
    private static double Mean(double[] share, int start, double fromMs, double lengthMs)
    {
        int a = start + (int)Math.Ceiling(fromMs / HopMs) + 2, b = start + (int)Math.Floor((fromMs + lengthMs) / HopMs) - 2;
        if (b <= a) return 0;
        double sum = 0;
        for (int h = a; h < b; h++) sum += share[h];
        return sum / (b - a);
    }
}
