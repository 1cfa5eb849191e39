using LabelStamp.Kernels;
using LabelStamp.Kernels.Fft;

namespace LabelStamp.Marks.Video;

/// <summary>
/// The phase-correlation steps of <see cref="ReducedPhaseTracker"/>: windowing, the whitened cross power (two real
/// patches packed in one complex transform), the peak with its SNR over the surface's RMS, and the Gaussian peak's
/// sub-pixel vertex with its noise gate.
/// </summary>
internal static class PhaseCorrelationPeak
{
    internal static float[] Window(int w, int h)
    {
        var win = new float[w * h];
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            win[y * w + x] = (float)(Hann(x, w) * Hann(y, h));
        return win;
    }

    private static double Hann(int i, int n) => 0.5 - 0.5 * Math.Cos(2 * Math.PI * (i + 0.5) / n);

    /// <summary>Mean removed, windowed, the rest of the N × N array zeroed (re) and the imaginary part cleared by the caller.
    /// With <paramref name="quantum"/> &gt; 0 the values are non-negative multiples of it (a box-reduced plane,
    /// <see cref="QuantisedSum.QuantumOf"/>): their mean is summed in vector lanes, which equals the left-to-right double
    /// sum to the bit whenever <see cref="QuantisedSum.IsExact"/> holds (otherwise it is summed again left to right).
    /// <paramref name="referenceLoops"/>: the scalar loops every path is tested against.</summary>
    internal static void Prepare(float[] re, int w, int h, int n, float[] window, float quantum = 0, bool referenceLoops = false)
    {
        double mean = 0;
        bool summed = false;
        if (quantum > 0 && !referenceLoops)
        {
            // A patch fills its rows (w = N): one run; the coarse plane's may be narrower (a 960-px frame reduced by 8 is 120 wide).
            if (w == n) mean = QuantisedSum.Sum(re.AsSpan(0, h * n));
            else for (int y = 0; y < h; y++) mean += QuantisedSum.Sum(re.AsSpan(y * n, w));
            summed = QuantisedSum.IsExact(mean, quantum);
        }
        if (!summed)
        {
            mean = 0;
            for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                mean += re[y * n + x];
        }
        float m = (float)(mean / (w * h));
        if (w == n && !referenceLoops) CentredWindow.Apply(re.AsSpan(0, h * n), m, window.AsSpan(0, h * w));
        else for (int y = 0; y < h; y++)
        {
            int o = y * n;
            if (referenceLoops) CentredWindow.ApplyScalarReference(re.AsSpan(o, w), m, window.AsSpan(y * w, w));
            else CentredWindow.Apply(re.AsSpan(o, w), m, window.AsSpan(y * w, w));
            if (w < n) Array.Clear(re, o + w, n - w);
        }
        if (h < n) Array.Clear(re, h * n, (n - h) * n);
    }

    internal readonly record struct Peak(double Dx, double Dy, double Snr);

    /// <summary>Whitened cross-power of a (this frame) and b (previous), inverse, peak and its SNR over the
    /// surface's RMS away from the peak, with the sub-pixel fraction from the larger neighbour per axis.</summary>
    internal static Peak Correlate(FftPlan2D fft, int n, float[] aRe, float[] aIm, float[] bRe, float[] bIm, float[] cRe, float[] cIm,
        bool referenceLoops = false)
    {
        CrossPower.Apply(aRe, aIm, bRe, bIm, cRe, cIm);
        return Locate(fft, n, cRe, cIm, null, referenceLoops: referenceLoops);
    }

    /// <summary>A · conj(B) up to a real factor 4 from Z = FFT(a + i·b) of two real arrays: with P = Z[k], M = Z[−k],
    /// A = (P + conj M) / 2 and B = (P − conj M) / 2i, so A · conj(B) = (2 Im(P·M) + i (|P|² − |M|²)) / 4. The scale
    /// does not matter: the cross power is whitened next. Saves one of the two forward transforms per patch.</summary>
    internal static void PackedCross(float[] zRe, float[] zIm, float[] cRe, float[] cIm, int n, bool referenceLoops = false)
    {
        if (referenceLoops) PackedPairCross.ApplyScalarReference(zRe, zIm, cRe, cIm, n);
        else PackedPairCross.Apply(zRe, zIm, cRe, cIm, n);
    }

    /// <summary>The whitened cross power in (cRe, cIm), inverse-transformed in place, and its peak. With
    /// <paramref name="taper"/> (the patches) the whitened spectrum is weighted by a Gaussian in frequency before the
    /// inverse, so a translation δ gives a Gaussian peak exp(−(x − δ)² / 2s²) (s ≈ 1 sample), on which the parabola
    /// through the logarithms of the peak and its two neighbours is exact; it also weighs down the high frequencies a
    /// CRF 30 copy no longer holds, which whitening would otherwise raise to full weight.</summary>
    internal static Peak Locate(FftPlan2D fft, int n, float[] cRe, float[] cIm, float[]? taper, double deadZone = 0, bool referenceLoops = false)
    {
        if (referenceLoops) SpectrumWhitening.ApplyScalarReference(cRe.AsSpan(0, n * n), cIm.AsSpan(0, n * n), taper);
        else SpectrumWhitening.Apply(cRe.AsSpan(0, n * n), cIm.AsSpan(0, n * n), taper);
        fft.Inverse(cRe, cIm);
        int best = 0;
        double sq = 0;
        for (int i = 0; i < n * n; i++)
        {
            float v = cRe[i];
            sq += v * v;
            if (v > cRe[best]) best = i;
        }
        int bx = best % n, by = best / n;
        // The surface's RMS without the 5 × 5 around the peak (the tapered peak is about 3 samples wide).
        double near = 0;
        for (int j = -2; j <= 2; j++)
        for (int i = -2; i <= 2; i++)
        {
            float v = cRe[((by + j + n) % n) * n + (bx + i + n) % n];
            near += v * v;
        }
        double sigma = Math.Sqrt(Math.Max(sq - near, 0) / (n * n - 25));
        double peak = cRe[best];
        double snr = sigma > 0 ? peak / sigma : double.PositiveInfinity;
        double fx = 0, fy = 0;
        if (taper is not null && snr >= ReducedPhaseTracker.PeakSnr)
        {
            fx = Fraction(deadZone, peak, cRe[by * n + (bx + n - 1) % n], cRe[by * n + (bx + 1) % n], sigma);
            fy = Fraction(deadZone, peak, cRe[((by + n - 1) % n) * n + bx], cRe[((by + 1) % n) * n + bx], sigma);
        }
        double dx = (bx > n / 2 ? bx - n : bx) + fx, dy = (by > n / 2 ? by - n : by) + fy;
        return new Peak(dx, dy, snr);
    }

    /// <summary>The Gaussian peak's vertex, δ = (ln c₋ − ln c₊) / (2 (ln c₋ − 2 ln c₀ + ln c₊)), set to 0 when it is
    /// within the dead zone of its own noise (first order: σ_δ = σ √(1/c₋² + 1/c₊²) / (2 |den|), σ the
    /// surface's RMS): on a still picture with local change the peak sits at 0 and its vertex is noise, and a noise step
    /// every frame would walk the pattern off the picture.</summary>
    private static double Fraction(double deadZone, double c0, double left, double right, double sigma)
    {
        if (left <= 0 || right <= 0 || c0 <= 0) return 0;
        double lm = Math.Log(left), l0 = Math.Log(c0), lp = Math.Log(right);
        double den = lm - 2 * l0 + lp;
        if (den >= 0) return 0;
        double f = Math.Clamp((lm - lp) / (2 * den), -0.5, 0.5);
        double noise = sigma * Math.Sqrt(1 / (left * left) + 1 / (right * right)) / (2 * Math.Abs(den));
        return Math.Abs(f) < deadZone * noise ? 0 : f;
    }
}
