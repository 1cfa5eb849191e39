namespace LabelStamp.Tests.Audio;

/// <summary>Deterministic test signals (fixed seeds): a music-like mix of harmonic notes over soft noise.</summary>
internal static class SyntheticAudio
{
    public static float[] Music(int sampleRate, int channels, double seconds, int seed)
    {
        var rng = new Random(seed);
        int n = (int)(sampleRate * seconds);
        var x = new float[n * channels];
        double[] notes = [220, 261.6, 329.6, 392, 440, 523.3];
        double lp = 0;
        for (int i = 0; i < n; i++)
        {
            double t = (double)i / sampleRate;
            int note = (int)(t / 0.5) % notes.Length;
            double f = notes[note], env = Math.Exp(-3 * (t % 0.5));
            double v = 0;
            for (int h = 1; h <= 12; h++) v += Math.Sin(2 * Math.PI * f * h * t) / h;
            lp = 0.9 * lp + 0.1 * (rng.NextDouble() * 2 - 1);
            v = 0.25 * env * v + 0.05 * lp + 0.02 * (rng.NextDouble() * 2 - 1);
            for (int c = 0; c < channels; c++) x[i * channels + c] = (float)(v * (c == 0 ? 1 : 0.8));
        }
        return x;
    }
}
