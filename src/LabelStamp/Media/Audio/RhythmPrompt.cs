namespace LabelStamp.Media.Audio;

/// <summary>
/// The GB 45438-2025 §5 audio explicit label: the rhythm short-long-short-short (Morse "A" ·− then
/// "I" ··, i.e. "AI"). Our parameters (the standard leaves them open; spec §3):
/// a 1 kHz sine (mid-band, where hearing is most sensitive and every codec keeps it), −12 dBFS peak,
/// short tone 120 ms, long 360 ms, gaps 120 ms (the Morse 1:3 ratio), 10 ms raised-cosine edges (no
/// clicks, no splatter), 1080 ms in all. It is mixed over the start of the audio (not prepended: the
/// output keeps the input's duration exactly), and the host is ducked by 12 dB under it with 20 ms
/// ramps so the prompt is clearly heard over any content and the detector sees it unambiguously.
/// </summary>
public sealed record RhythmPrompt
{
    public double FrequencyHz { get; init; } = 1000;
    public double PeakDbfs { get; init; } = -12;
    public double ShortMs { get; init; } = 120;
    public double LongMs { get; init; } = 360;
    public double GapMs { get; init; } = 120;
    public double EdgeMs { get; init; } = 10;
    public double DuckDb { get; init; } = -12;
    public double DuckRampMs { get; init; } = 20;

    /// <summary>Also place the prompt at the end (GB 45438 allows start, end or both; start is the default).</summary>
    public bool AtEnd { get; init; }

    public static RhythmPrompt Default { get; } = new();

    /// <summary>Tone-on segments (start, length) in ms from the prompt start: S, L, S, S.</summary>
    public (double Start, double Length)[] Segments()
    {
        double s0 = 0, s1 = ShortMs + GapMs, s2 = s1 + LongMs + GapMs, s3 = s2 + ShortMs + GapMs;
        return [(s0, ShortMs), (s1, LongMs), (s2, ShortMs), (s3, ShortMs)];
    }

    public double TotalMs => 3 * ShortMs + LongMs + 3 * GapMs;

    /// <summary>
    /// Mixes the prompt into a chunk of interleaved samples in place. <paramref name="chunkStart"/> is the
    /// chunk's first sample index (per channel) in the file, <paramref name="promptStart"/> the prompt's.
    /// </summary>
    public void MixInto(Span<float> interleaved, int channels, int sampleRate, long chunkStart, long promptStart)
    {
        long frames = interleaved.Length / channels;
        double total = TotalMs / 1000 * sampleRate, ramp = DuckRampMs / 1000 * sampleRate;
        long from = Math.Max(chunkStart, promptStart - (long)ramp);
        long to = Math.Min(chunkStart + frames, promptStart + (long)(total + ramp) + 1);
        if (from >= to) return;
        double amp = Math.Pow(10, PeakDbfs / 20), duck = Math.Pow(10, DuckDb / 20);
        var segments = Segments();
        double edge = EdgeMs / 1000 * sampleRate;
        for (long g = from; g < to; g++)
        {
            double rel = g - promptStart;
            // Duck gain: 1 → duck over the ramp before the prompt, back to 1 over the ramp after it.
            double d;
            if (rel < 0) d = Lerp(1, duck, RaisedCosine((rel + ramp) / ramp));
            else if (rel > total) d = Lerp(duck, 1, RaisedCosine((rel - total) / ramp));
            else d = duck;
            double tone = 0;
            foreach (var (startMs, lengthMs) in segments)
            {
                double a = startMs / 1000 * sampleRate, len = lengthMs / 1000 * sampleRate;
                if (rel < a || rel >= a + len) continue;
                double t = rel - a;
                double env = Math.Min(RaisedCosine(t / edge), RaisedCosine((len - t) / edge));
                tone = amp * env * Math.Sin(2 * Math.PI * FrequencyHz * rel / sampleRate);
            }
            int i = (int)(g - chunkStart) * channels;
            for (int c = 0; c < channels; c++)
                interleaved[i + c] = (float)(interleaved[i + c] * d + tone);
        }
    }

    /// <summary>0 → 1 raised-cosine for x in [0, 1], clamped outside.</summary>
    private static double RaisedCosine(double x) => x <= 0 ? 0 : x >= 1 ? 1 : 0.5 - 0.5 * Math.Cos(Math.PI * x);

    private static double Lerp(double a, double b, double t) => a + (b - a) * t;
}
