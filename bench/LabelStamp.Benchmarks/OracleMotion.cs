using System.Diagnostics;
using System.Globalization;
using LabelStamp.Kernels;
using LabelStamp.Kernels.Fft;
using LabelStamp.Media.Video;

namespace LabelStamp.Benchmarks;

/// <summary>
/// Round 9 of issue 18, an oracle: each frame's map from the first frame's coordinates (centred,
/// x = S·X + T, <see cref="GluedMark"/>'s convention), measured once on the clean source before anything
/// is marked, with all the time and look-ahead a product could not spend. It answers one question: if
/// the embedder knew the content's motion exactly, would a pattern that moves with it cost the encoder
/// nothing? Rounds 4–6 measured the same idea through a conservative estimator that follows only part
/// of the frames; this removes that limit.
/// Modes: "o" — the global translation between consecutive frames by phase correlation on a reduced
/// plane (whole-frame, Hann-windowed, so smooth renders and dark frames still give a peak), refined on
/// the full plane by an SSD search with a parabolic sub-pixel step, accumulated; "oi" — the same,
/// each step rounded to whole pixels (the corpus pans crop at whole, even pixel steps, so rounding
/// removes the sub-pixel estimator's drift); "ok" — the corpus generator's known zoom about the centre
/// (bench/corpus/make-video-corpus.sh: scaled width 2·trunc(W·(1 + z·t/T)/2)), no translation.
/// Exploration code: not product code.
/// </summary>
public static class OracleMotion
{
    private const int N = 512;

    /// <summary>The corpus zooms: clip name prefix → (frame width W, zoom z over the clip, clip length T in seconds).</summary>
    private static readonly (string Prefix, int W, double Z, double T)[] KnownZooms =
    [
        ("photo-zoom-720p25", 1280, 0.3, 8), ("render-zoom-540p30", 960, 0.3, 8),
        ("cartoon-zoom-540p24", 960, 0.3, 10), ("photo-still-720p24", 1280, 0.03, 8),
    ];

    public static List<(double Scale, double Ox, double Oy)> Measure(string clip, double seconds, VideoStreamInfo info, string mode)
    {
        int w = info.Width, h = info.Height;
        string[] fr = info.FrameRate.Split('/');
        double fps = double.Parse(fr[0], CultureInfo.InvariantCulture) / (fr.Length > 1 ? double.Parse(fr[1], CultureInfo.InvariantCulture) : 1);
        var maps = new List<(double, double, double)>();
        var dec = Decode(clip, seconds);
        var src = dec.StandardOutput.BaseStream;
        byte[] cur = new byte[w * h], prev = new byte[w * h];
        var tracker = mode == "ok" ? null : new PhaseTracker(w, h);
        var zoom = mode == "ok" ? KnownZooms.FirstOrDefault(z => Path.GetFileName(clip).StartsWith(z.Prefix, StringComparison.Ordinal)) : default;
        if (mode == "ok" && zoom.Prefix is null) throw new ArgumentException("no known zoom for " + clip);
        double ox = 0, oy = 0, sumAbsX = 0, sumAbsY = 0;
        int frames = 0;
        while (ReadFull(src, cur))
        {
            if (mode == "ok")
            {
                double t = frames / fps;
                double wt = 2 * Math.Truncate(zoom.W * (1 + zoom.Z * t / zoom.T) / 2);
                maps.Add((wt / zoom.W, 0, 0));
            }
            else
            {
                if (frames > 0)
                {
                    var (dx, dy) = tracker!.Step(prev, cur);
                    if (mode == "oi") (dx, dy) = (Math.Round(dx), Math.Round(dy));
                    ox += dx;
                    oy += dy;
                    sumAbsX += Math.Abs(dx);
                    sumAbsY += Math.Abs(dy);
                }
                else tracker!.Step(null, cur);
                maps.Add((1, ox, oy));
            }
            (prev, cur) = (cur, prev);
            frames++;
        }
        dec.WaitForExit();
        if (dec.ExitCode != 0) throw new InvalidOperationException("decode failed");
        var last = maps[^1];
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"oracle {mode}: {frames} frames, mean |step| x {sumAbsX / Math.Max(1, frames - 1):0.000} y {sumAbsY / Math.Max(1, frames - 1):0.000} px, last map scale {last.Item1:0.0000} offset ({last.Item2:0.0}, {last.Item3:0.0})"));
        return maps;
    }

    private static bool ReadFull(Stream s, byte[] buf)
    {
        int got = 0;
        while (got < buf.Length)
        {
            int n = s.Read(buf, got, buf.Length - got);
            if (n == 0) return false;
            got += n;
        }
        return true;
    }

    private static Process Decode(string clip, double seconds)
    {
        var psi = new ProcessStartInfo("nice") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "-n", "10", "ffmpeg", "-nostdin", "-v", "error", "-i", clip, "-t", seconds.ToString(CultureInfo.InvariantCulture),
                     "-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "gray", "-" })
            psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    /// <summary>Frame-to-frame translation: phase correlation on a plane reduced by D (≤ 512 samples a side), then an
    /// SSD search on the full plane around D × the coarse peak.</summary>
    private sealed class PhaseTracker
    {
        private readonly int _w, _h, _d, _rw, _rh;
        private readonly FftPlan2D _fft = new(N);
        private readonly float[] _window;
        private float[] _prevRe = new float[N * N], _prevIm = new float[N * N];
        private float[] _re = new float[N * N], _im = new float[N * N];
        private readonly float[] _cRe = new float[N * N], _cIm = new float[N * N];

        public PhaseTracker(int w, int h)
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
            Parallel.For(0, span * span, k =>
            {
                int sx = cx + k % span - r, sy = cy + k / span - r;
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
                ssd[k] = s;
            });
            int b = 0;
            for (int k = 1; k < ssd.Length; k++) if (ssd[k] < ssd[b]) b = k;
            int bx = b % span, by = b / span;
            double fx = bx > 0 && bx < span - 1 ? Vertex(ssd[b - 1], ssd[b], ssd[b + 1]) : 0;
            double fy = by > 0 && by < span - 1 ? Vertex(ssd[b - span], ssd[b], ssd[b + span]) : 0;
            return (cx + bx - r + fx, cy + by - r + fy);
        }

        private static double Vertex(double a, double b, double c)
        {
            double den = a - 2 * b + c;
            return den <= 0 ? 0 : Math.Clamp(0.5 * (a - c) / den, -0.5, 0.5);
        }
    }
}
