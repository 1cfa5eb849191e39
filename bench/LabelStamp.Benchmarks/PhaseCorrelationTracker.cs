using LabelStamp.Kernels;
using LabelStamp.Kernels.Fft;

namespace LabelStamp.Benchmarks;

/// <summary>
/// Round 9 of issue 18: the global translation between two consecutive frames of one size. Phase correlation
/// on the whole frame reduced by D (≤ 512 samples a side, Hann-windowed, the cross spectrum whitened, so a
/// smooth render or a dark frame still gives one sharp peak where a patch matcher finds too little texture),
/// then an SSD search on the full plane within ±(D + 1) of D × the peak, with a parabolic sub-pixel step.
/// Used on the clean source by <see cref="OracleMotion"/> and on a decoded copy by <see cref="RegisteredMarkReader"/>
/// (there the glued pattern moves with the content, so it helps its own registration). Call in frame order.
/// Exploration code: not product code.
/// </summary>
public sealed class PhaseCorrelationTracker
{
    private const int N = 512;
    private readonly int _w, _h, _d, _rw, _rh;
    private readonly FftPlan2D _fft = new(N);
    private readonly float[] _window;
    private float[] _prevRe = new float[N * N], _prevIm = new float[N * N];
    private float[] _re = new float[N * N], _im = new float[N * N];
    private readonly float[] _cRe = new float[N * N], _cIm = new float[N * N];

    public PhaseCorrelationTracker(int w, int h)
    {
        (_w, _h) = (w, h);
        _d = (Math.Max(w, h) + N - 1) / N;
        (_rw, _rh) = (w / _d, h / _d);
        _window = new float[_rw * _rh];
        for (int y = 0; y < _rh; y++)
        for (int x = 0; x < _rw; x++)
            _window[y * _rw + x] = (float)(Hann(x, _rw) * Hann(y, _rh));
    }

    private static double Hann(int i, int n) => 0.5 - 0.5 * Math.Cos(2 * Math.PI * (i + 0.5) / n);

    /// <summary>The content's displacement from <paramref name="prev"/> to <paramref name="cur"/> (cur(p) ≈ prev(p − d)).</summary>
    public (double Dx, double Dy) Step(byte[]? prev, byte[] cur)
    {
        Spectrum(cur, _re, _im);
        (double, double) result = (0, 0);
        if (prev is not null)
        {
            // cur · conj(prev), whitened: the inverse peaks at the displacement.
            CrossPower.Apply(_re, _im, _prevRe, _prevIm, _cRe, _cIm);
            for (int i = 0; i < _cRe.Length; i++)
            {
                float m = MathF.Sqrt(_cRe[i] * _cRe[i] + _cIm[i] * _cIm[i]) + 1e-6f;
                _cRe[i] /= m;
                _cIm[i] /= m;
            }
            _fft.Inverse(_cRe, _cIm);
            int best = 0;
            for (int i = 1; i < _cRe.Length; i++) if (_cRe[i] > _cRe[best]) best = i;
            LastPeak = _cRe[best];
            int px = best % N, py = best / N;
            double cx = (px > N / 2 ? px - N : px) * _d, cy = (py > N / 2 ? py - N : py) * _d;
            result = Refine(prev, cur, (int)cx, (int)cy, _d + 1);
        }
        (_prevRe, _re) = (_re, _prevRe);
        (_prevIm, _im) = (_im, _prevIm);
        return result;
    }

    private void Spectrum(byte[] frame, float[] re, float[] im)
    {
        Array.Clear(re);
        Array.Clear(im);
        double mean = 0;
        for (int y = 0; y < _rh; y++)
        for (int x = 0; x < _rw; x++)
        {
            int s = 0;
            for (int j = 0; j < _d; j++)
            for (int i = 0; i < _d; i++)
                s += frame[(y * _d + j) * _w + x * _d + i];
            re[y * N + x] = s / (float)(_d * _d);
            mean += re[y * N + x];
        }
        mean /= _rw * _rh;
        for (int y = 0; y < _rh; y++)
        for (int x = 0; x < _rw; x++)
            re[y * N + x] = (float)((re[y * N + x] - mean) * _window[y * _rw + x]);
        _fft.Forward(re, im, _rh);
    }

    /// <summary>Whole-pixel SSD minimum within ±r of (cx, cy) on every second sample of the plane's inner part, then
    /// a parabola through the minimum and its neighbours on each axis.</summary>
    private (double, double) Refine(byte[] prev, byte[] cur, int cx, int cy, int r)
    {
        int span = 2 * r + 1;
        var ssd = new double[span * span];
        int m = Math.Max(Math.Abs(cx), Math.Abs(cy)) + r + 8;
        if (2 * m + 16 > Math.Min(_w, _h)) return (cx, cy);
        Parallel.For(0, span * span, k => ssd[k] = SsdAt(prev, cur, cx + k % span - r, cy + k / span - r, m));
        int b = 0;
        for (int k = 1; k < ssd.Length; k++) if (ssd[k] < ssd[b]) b = k;
        // The SSD with no shift over the best one: near 1 where nothing moved as a whole (a cellular automaton, noise,
        // local motion), where the whitened correlation still puts its peak somewhere and the parabola adds a
        // sub-pixel step every frame that would walk the pattern off a still picture.
        double still = SsdAt(prev, cur, 0, 0, m);
        LastGain = ssd[b] > 0 ? still / ssd[b] : still > 0 ? double.PositiveInfinity : 1;
        if (LastGain < StillGain) return (0, 0);
        int bx = b % span, by = b / span;
        double fx = bx > 0 && bx < span - 1 ? Vertex(ssd[b - 1], ssd[b], ssd[b + 1]) : 0;
        double fy = by > 0 && by < span - 1 ? Vertex(ssd[b - span], ssd[b], ssd[b + span]) : 0;
        return (cx + bx - r + fx, cy + by - r + fy);
    }

    private double SsdAt(byte[] prev, byte[] cur, int sx, int sy, int m)
    {
        double s = 0;
        for (int y = m; y < _h - m; y += 2)
        {
            int rc = y * _w, rp = (y - sy) * _w - sx;
            for (int x = m; x < _w - m; x += 2)
            {
                int e = cur[rc + x] - prev[rp + x];
                s += e * e;
            }
        }
        return s;
    }

    /// <summary>The last step's whitened correlation peak (1: one clean translation of the whole frame).</summary>
    public double LastPeak { get; private set; }

    /// <summary>The last step's SSD with no shift over the SSD at the shift found.</summary>
    public double LastGain { get; private set; }

    /// <summary>A step whose shift lowers the SSD by less than this factor (SSD at zero / SSD at the shift) is taken as
    /// no motion; 0 keeps every step (the first oracle runs, variant "o").</summary>
    public double StillGain { get; init; }

    /// <summary>Variant "og": 3, set from the first 3 s of six clips (video-motion-oracle with LS_TRACE_MOTION=1): every
    /// frame-to-frame step of the render and dark pans but one lowers the SSD 3× or more (2.3–857), no step of `life`,
    /// the gradients, Mandelbrot or testsrc2 (whose moving inset gives 0.5–2.4) does.</summary>
    public const double GatedStillGain = 3;

    private static double Vertex(double a, double b, double c)
    {
        double den = a - 2 * b + c;
        return den <= 0 ? 0 : Math.Clamp(0.5 * (a - c) / den, -0.5, 0.5);
    }
}
