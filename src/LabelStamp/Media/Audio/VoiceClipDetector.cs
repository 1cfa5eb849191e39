using LabelStamp.Kernels.Fft;

namespace LabelStamp.Media.Audio;

/// <summary>
/// Finds a known voice clip in a stretch of mono audio by normalised cross-correlation (computed with
/// one FFT correlation at 8 kHz, after a plain decimating average, which is ample for speech):
/// r(lag) = ⟨clip, x[lag…]⟩ / (‖clip‖·‖x[lag…]‖). The clip was mixed over ducked host audio, so at the
/// right lag r is close to 1 even after a lossy codec; on unrelated audio it stays small.
/// </summary>
public static class VoiceClipDetector
{
    /// <summary>Declared found at or above this correlation.</summary>
    public const double Threshold = 0.6;
    private const int WorkRate = 8000;

    /// <summary>(offset in seconds, correlation) of the best match, or null when below <see cref="Threshold"/>.</summary>
    public static (double Seconds, double Correlation)? Find(ReadOnlySpan<float> mono, int sampleRate, ReadOnlySpan<float> clipMono)
    {
        int factor = Math.Max(1, sampleRate / WorkRate);
        float[] x = Decimate(mono, factor), c = Decimate(clipMono, factor);
        if (c.Length < 16 || x.Length < c.Length) return null;
        int size = 1;
        while (size < x.Length + c.Length) size <<= 1;
        var plan = new FftPlan(size);
        float[] xr = new float[size], xi = new float[size], cr = new float[size], ci = new float[size];
        x.CopyTo(xr, 0);
        c.CopyTo(cr, 0);
        plan.Forward(xr, xi);
        plan.Forward(cr, ci);
        // X · conj(C) → correlation at lag ℓ in bin-domain inverse.
        for (int k = 0; k < size; k++)
        {
            float re = xr[k] * cr[k] + xi[k] * ci[k];
            float im = xi[k] * cr[k] - xr[k] * ci[k];
            xr[k] = re; xi[k] = im;
        }
        plan.Inverse(xr, xi);
        double clipNorm = 0;
        foreach (float v in c) clipNorm += (double)v * v;
        if (clipNorm <= 1e-12) return null;
        // Running energy of the window x[lag, lag + |c|).
        double energy = 0;
        for (int i = 0; i < c.Length; i++) energy += (double)x[i] * x[i];
        double best = 0;
        int bestLag = -1;
        for (int lag = 0; lag + c.Length <= x.Length; lag++)
        {
            if (lag > 0) energy += (double)x[lag + c.Length - 1] * x[lag + c.Length - 1] - (double)x[lag - 1] * x[lag - 1];
            if (energy > 1e-12)
            {
                double r = xr[lag] / Math.Sqrt(clipNorm * energy);
                if (r > best) { best = r; bestLag = lag; }
            }
        }
        return best >= Threshold ? (bestLag * factor / (double)sampleRate, best) : null;
    }

    private static float[] Decimate(ReadOnlySpan<float> x, int factor)
    {
        var y = new float[x.Length / factor];
        for (int i = 0; i < y.Length; i++)
        {
            float s = 0;
            for (int j = 0; j < factor; j++) s += x[i * factor + j];
            y[i] = s / factor;
        }
        return y;
    }
}
