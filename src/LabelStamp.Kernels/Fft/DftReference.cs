namespace LabelStamp.Kernels.Fft;

/// <summary>The O(N²) textbook DFT in double precision: the reference the FFT is tested against.</summary>
public static class DftReference
{
    public static void Forward(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<double> outRe, Span<double> outIm)
    {
        int n = re.Length;
        for (int k = 0; k < n; k++)
        {
            double sr = 0, si = 0;
            for (int t = 0; t < n; t++)
            {
                double a = -2 * Math.PI * ((long)k * t % n) / n;
                double c = Math.Cos(a), s = Math.Sin(a);
                sr += re[t] * c - im[t] * s;
                si += re[t] * s + im[t] * c;
            }
            outRe[k] = sr;
            outIm[k] = si;
        }
    }
}
