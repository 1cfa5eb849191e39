using System.Globalization;
using LabelStamp.Marks.Video;

namespace LabelStamp.Benchmarks;

/// <summary>
/// The registered search's phase pass (issue 18, round 16): <see cref="RegisteredMarkSearch"/>'s cell statistic over a
/// file's chained canvas at the 6 × 6 phases the search tries, as the product computes it (a row's six phases in one pass)
/// and as round 15 did (one pass per phase, four arrays of sums; kept here only for this comparison), alternating, thread
/// CPU time, medians; the two must agree to the bit. Bench code.
/// </summary>
public static class SearchPassSpeed
{
    public static int Run(string file, int rounds)
    {
        var (w, h, total) = RegisteredMarkReader.Probe(file);
        int step = VideoMarkSampling.Step(total), frames = 0;
        using var canvas = new RegisteredCanvas(w, h);
        foreach (byte[] buf in GrayFrames.Read(file, w, h, 1e6, step > 1 ? $"select='not(mod(n\\,{step}))'" : null))
        {
            if (frames++ >= VideoMarkSampling.MaxAveragedFrames) break;
            canvas.Add(buf);
        }
        var (mean, valid) = canvas.MeanInPlace();
        int cw = canvas.Width, ch = canvas.Height;
        var (cols, rows) = VideoMarkLayout.Grid(canvas.FrameWidth, canvas.FrameHeight);
        double cellX = (double)canvas.FrameWidth / cols, cellY = (double)canvas.FrameHeight / rows;
        var product = new List<double>();
        var before = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            double t0 = CpuClock.Thread();
            var a = new List<float[]>();
            var nxs = new int[6];
            double[] pxs = [0, cellX / 6, 2 * cellX / 6, 3 * cellX / 6, 4 * cellX / 6, 5 * cellX / 6];
            for (int j = 0; j < 6; j++)
                foreach (var row in RegisteredMarkSearch.CellValues(mean, valid, cw, ch, cellX, cellY, pxs, j * cellY / 6, nxs, out _)) a.Add(row ?? []);
            double t1 = CpuClock.Thread();
            var b = Pass((px, py) => Round15CellValues(mean, valid, cw, ch, cellX, cellY, px, py));
            double t2 = CpuClock.Thread();
            product.Add(t1 - t0);
            before.Add(t2 - t1);
            for (int k = 0; k < a.Count; k++)
                if (!a[k].AsSpan().SequenceEqual(b[k])) { Console.WriteLine($"phase {k}: the two passes differ"); return 1; }
        }
        product.Sort();
        before.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{file}\tcanvas {cw}×{ch}\t36 phases: product {1e3 * product[rounds / 2]:0} ms, round 15's {1e3 * before[rounds / 2]:0} ms (medians of {rounds}), equal to the bit"));
        return 0;

        List<float[]> Pass(Func<double, double, float[]?> values)
        {
            var all = new List<float[]>();
            for (int j = 0; j < 6; j++)
            for (int i = 0; i < 6; i++)
                all.Add(values(i * cellX / 6, j * cellY / 6) ?? []);
            return all;
        }
    }

    /// <summary>Round 15's pass (a copy, for the comparison only).</summary>
    private static float[]? Round15CellValues(float[] m, bool[] ok, int w, int h, double cellX, double cellY, double phaseX, double phaseY)
    {
        int nx = (int)Math.Ceiling((w - phaseX) / cellX) + 1;
        int ny = (int)Math.Ceiling((h - phaseY) / cellY) + 1;
        int n = nx * ny;
        int[] colCell = new int[w], rowCell = new int[h];
        float[] colW = new float[w], rowW = new float[h];
        for (int x = 0; x < w; x++)
        {
            double q = (x + 0.5 - phaseX) / cellX + 1;
            int c = (int)Math.Floor(q);
            double s = Math.Sin(Math.PI * (q - c));
            colCell[x] = c;
            colW[x] = (float)(s * s);
        }
        for (int y = 0; y < h; y++)
        {
            double q = (y + 0.5 - phaseY) / cellY + 1;
            int c = (int)Math.Floor(q);
            double s = Math.Sin(Math.PI * (q - c));
            rowCell[y] = c;
            rowW[y] = (float)(s * s);
        }
        double[] wsum = new double[n], ws = new double[n], plain = new double[n], tex = new double[n];
        int[] cnt = new int[n];
        for (int y = 0; y < h; y++)
        {
            int rb = rowCell[y] * nx, r = y * w;
            float wy = rowW[y];
            for (int x = 0; x < w; x++)
            {
                if (!ok[r + x]) continue;
                int c = rb + colCell[x];
                float v = m[r + x], wxy = wy * colW[x];
                wsum[c] += wxy * v;
                ws[c] += wxy;
                plain[c] += v;
                cnt[c]++;
                if (x + 1 < w && y + 1 < h && ok[r + x + 1] && ok[r + x + w])
                    tex[c] += Math.Abs(m[r + x + 1] - v) + Math.Abs(m[r + x + w] - v);
            }
        }
        double full = cellX * cellY;
        float[] stat = new float[n], t = new float[n];
        int kept = 0;
        for (int c = 0; c < n; c++)
        {
            if (cnt[c] < 0.9 * full || ws[c] <= 0) { stat[c] = float.NaN; continue; }
            stat[c] = (float)(wsum[c] / ws[c] - plain[c] / cnt[c]);
            t[c] = (float)(tex[c] / cnt[c]);
            kept++;
        }
        if (kept == 0) return null;
        float[] sorted = new float[kept];
        for (int c = 0, k = 0; c < n; c++) if (!float.IsNaN(stat[c])) sorted[k++] = t[c];
        Array.Sort(sorted);
        float floor = Math.Max(sorted[kept / 2], 0.05f);
        for (int c = 0; c < n; c++) if (!float.IsNaN(stat[c])) stat[c] /= floor + t[c];
        return stat;
    }
}
