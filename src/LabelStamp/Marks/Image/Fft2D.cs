namespace LabelStamp.Marks.Image;

/// <summary>
/// Square power-of-two 2-D complex FFT on split real/imaginary arrays (row-major N × N): iterative
/// radix-2 on rows, then on columns through a scratch line. Twiddles are built per instance (no
/// static state); an instance is reused for every transform of one detection.
/// </summary>
internal sealed class Fft2D
{
    private readonly int _n;
    private readonly float[] _cos, _sin;
    private readonly int[] _rev;
    private readonly float[] _lineRe, _lineIm;

    public Fft2D(int n)
    {
        if (n < 2 || (n & (n - 1)) != 0) throw new ArgumentException("FFT size must be a power of two", nameof(n));
        _n = n;
        _cos = new float[n / 2];
        _sin = new float[n / 2];
        for (int i = 0; i < n / 2; i++)
        {
            _cos[i] = (float)Math.Cos(2 * Math.PI * i / n);
            _sin[i] = (float)Math.Sin(2 * Math.PI * i / n);
        }
        _rev = new int[n];
        int bits = System.Numerics.BitOperations.Log2((uint)n);
        for (int i = 0; i < n; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
            _rev[i] = r;
        }
        _lineRe = new float[n];
        _lineIm = new float[n];
    }

    public int Size => _n;

    /// <summary>In-place transform; inverse is unscaled (divide by N² yourself if needed).</summary>
    public void Transform(float[] re, float[] im, bool inverse)
    {
        int n = _n;
        for (int y = 0; y < n; y++) Line(re.AsSpan(y * n, n), im.AsSpan(y * n, n), inverse);
        for (int x = 0; x < n; x++)
        {
            for (int y = 0; y < n; y++) { _lineRe[y] = re[y * n + x]; _lineIm[y] = im[y * n + x]; }
            Line(_lineRe, _lineIm, inverse);
            for (int y = 0; y < n; y++) { re[y * n + x] = _lineRe[y]; im[y * n + x] = _lineIm[y]; }
        }
    }

    private void Line(Span<float> re, Span<float> im, bool inverse)
    {
        int n = _n;
        for (int i = 0; i < n; i++)
        {
            int j = _rev[i];
            if (j > i) { (re[i], re[j]) = (re[j], re[i]); (im[i], im[j]) = (im[j], im[i]); }
        }
        float sign = inverse ? 1f : -1f;
        for (int len = 2; len <= n; len <<= 1)
        {
            int half = len >> 1, step = n / len;
            for (int start = 0; start < n; start += len)
            {
                for (int k = 0; k < half; k++)
                {
                    float wr = _cos[k * step], wi = sign * _sin[k * step];
                    int a = start + k, b = a + half;
                    float tr = re[b] * wr - im[b] * wi;
                    float ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr; im[b] = im[a] - ti;
                    re[a] += tr; im[a] += ti;
                }
            }
        }
    }
}
