extern alias old;
using System.Globalization;
using System.Runtime.InteropServices;
using LabelStamp.Kernels.Fft;
using N = LabelStamp.Kernels;
using O = old::LabelStamp.Kernels;

namespace LabelStamp.KernelAB;

/// <summary>
/// One width, every kernel: calls of the baseline (O) and of this tree (N) on the same fixed-seed data,
/// in rounds that alternate which goes first; each timing is N calls in this thread's CPU time, which
/// the other users of a shared machine disturb far less than wall time. Reports the median time per call
/// of each and the median of the per-round new/old ratios. Arguments: kernels (all, mag, cross, fft,
/// fft2d, moments, gather, runs, activity, dot, control), rounds, a repetition multiplier, the width.
/// </summary>
internal static class Program
{
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds, Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private const int ThreadCpuClock = 3;   // CLOCK_THREAD_CPUTIME_ID

    private static double ThreadCpu()
    {
        ClockGetTime(ThreadCpuClock, out TimeSpec t);
        return t.Seconds + t.Nanoseconds * 1e-9;
    }

    private static double Time(Action call, int reps)
    {
        double t0 = ThreadCpu();
        for (int i = 0; i < reps; i++) call();
        return ThreadCpu() - t0;
    }

    private static double Median(List<double> v)
    {
        v.Sort();
        return v[v.Count / 2];
    }

    private static void Compare(string name, string width, Action before, Action after, int reps, int rounds)
    {
        // Past tier-0 and OSR: tier-1 code is compiled in the background after a quiet spell without new
        // tier-0 methods, which a loaded machine stretches; a short fixed warm-up measured tier-0 code
        // (15× at one width). So: half a second of calls each, a pause, and again.
        for (int w = 0; w < 2; w++)
        {
            for (double t0 = ThreadCpu(); ThreadCpu() - t0 < 0.5;) { before(); after(); }
            Thread.Sleep(300);
        }
        List<double> tb = [], ta = [], ratio = [];
        for (int k = 0; k < rounds; k++)
        {
            double b, a;
            if (k % 2 == 0) { b = Time(before, reps); a = Time(after, reps); }
            else { a = Time(after, reps); b = Time(before, reps); }
            tb.Add(b); ta.Add(a); ratio.Add(a / b);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}\t{width}\t{Median(tb) * 1e9 / reps:F0}\t{Median(ta) * 1e9 / reps:F0}\t{Median(ratio):F3}"));
    }

    public static void Main(string[] args)
    {
        string what = args.Length > 0 ? args[0] : "all";
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 21;
        int m = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
        string ws = args.Length > 3 ? args[3] : "V256";
        var nw = Enum.Parse<N.VectorWidth>(ws);
        var ow = Enum.Parse<O.VectorWidth>(ws);
        var rng = new Random(1);
        float[] Floats(int n)
        {
            var a = new float[n];
            for (int i = 0; i < n; i++) a[i] = rng.NextSingle() * 2 - 1;
            return a;
        }
        Console.WriteLine($"# {DateTime.UtcNow:u} load {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine("# kernel\twidth\told ns/call\tnew ns/call\tnew/old");
        if (what is "all" or "mag")
        {
            float[] x = Floats(4099);
            float sink = 0;
            Compare("MagnitudeSum 4099", ws, () => sink += O.MagnitudeSum.Of(x, ow), () => sink += N.MagnitudeSum.Of(x, nw), 20000 * m, rounds);
        }
        if (what is "all" or "cross")
        {
            float[] a = Floats(513), b = Floats(513), c = Floats(513), d = Floats(513), e = new float[513], f = new float[513];
            Compare("CrossPower 513", ws, () => O.CrossPower.Apply(a, b, c, d, e, f, ow), () => N.CrossPower.Apply(a, b, c, d, e, f, nw), 20000 * m, rounds);
        }
        if (what is "control")
        {
            // The baseline against itself through two delegates: how far the harness alone strays from 1.
            float[] a = Floats(513), b = Floats(513), c = Floats(513), d = Floats(513), e = new float[513], f = new float[513];
            Compare("CrossPower 513 baseline vs itself", ws, () => O.CrossPower.Apply(a, b, c, d, e, f, ow), () => O.CrossPower.Apply(a, b, c, d, e, f, ow), 20000 * m, rounds);
        }
        if (what is "all" or "fft")
        {
            var po = new old::LabelStamp.Kernels.Fft.FftPlan(1024);
            var pn = new FftPlan(1024);
            float[] re = Floats(1024), im = Floats(1024), r2 = (float[])re.Clone(), i2 = (float[])im.Clone();
            Compare("FftPlan 1024 forward+inverse", ws, () => { po.Forward(re, im, ow); po.Inverse(re, im, ow); },
                () => { pn.Forward(r2, i2, nw); pn.Inverse(r2, i2, nw); }, 300 * m, rounds);
        }
        if (what is "all" or "fft2d")
        {
            var po = new old::LabelStamp.Kernels.Fft.FftPlan2D(256);
            var pn = new FftPlan2D(256);
            float[] src = Floats(256 * 256), re = new float[256 * 256], im = new float[256 * 256];
            Compare("FftPlan2D 256 autocorrelate", ws, () => { src.CopyTo(re, 0); po.Autocorrelate(re, im, 200, ow); },
                () => { src.CopyTo(re, 0); pn.Autocorrelate(re, im, 200, nw); }, 10 * m, rounds);
        }
        if (what is "all" or "dot")
        {
            // The resampler's call: 32 taps (two blocks of 16), one output sample per call; and an odd length.
            float[] x = Floats(32), hh = Floats(32), x2 = Floats(45), h2 = Floats(45);
            float sink = 0;
            Compare("DotProduct 32", ws, () => sink += O.Audio.DotProduct.Of(x, hh, ow), () => sink += N.Audio.DotProduct.Of(x, hh, nw), 200000 * m, rounds);
            Compare("DotProduct 45", ws, () => sink += O.Audio.DotProduct.Of(x2, h2, ow), () => sink += N.Audio.DotProduct.Of(x2, h2, nw), 200000 * m, rounds);
        }
        if (what is "all" or "moments")
        {
            byte[] r1 = new byte[11520], r2 = new byte[11520];
            rng.NextBytes(r1);
            rng.NextBytes(r2);
            ushort[] s = new ushort[11520];
            uint[] q = new uint[11520];
            Compare("ColumnMoments 11520 store+2 shifts", ws,
                () => { O.ColumnMoments.Store(r1, r2, s, q, ow); O.ColumnMoments.AddShifted(s, q, 3, ow); O.ColumnMoments.AddShifted(s, q, 6, ow); },
                () => { N.ColumnMoments.Store(r1, r2, s, q, nw); N.ColumnMoments.AddShifted(s, q, 3, nw); N.ColumnMoments.AddShifted(s, q, 6, nw); }, 300 * m, rounds);
            // The statistics pass's run sums: the two shifted adds (baseline) against the one-pass AddRuns (this tree).
            Compare("ColumnMoments 11520 run sums", ws,
                () => { O.ColumnMoments.AddShifted(s, q, 3, ow); O.ColumnMoments.AddShifted(s, q, 6, ow); },
                () => N.ColumnMoments.AddRuns(s, q, 3, nw), 300 * m, rounds);
        }
        if (what is "all" or "gather")
        {
            // The statistics pass's window gather for one quadrant row of a 3840 px image, RGB and RGBA.
            foreach (int bands in new[] { 3, 4 })
            {
                int runs = 960, length = 4 * bands * (runs + 2);
                ushort[] gs = new ushort[length];
                uint[] gq = new uint[length];
                for (int i = 0; i < length; i++) { gs[i] = (ushort)rng.Next(0, 2041); gq[i] = (uint)rng.Next(0, 520_201); }
                int[] es = new int[bands * runs], eq = new int[bands * runs], os = new int[bands * runs], oq = new int[bands * runs];
                Compare($"GatherWindows 960 runs, {bands} bands", ws,
                    () => O.ColumnMoments.GatherWindows(gs, gq, bands, runs, es, eq, os, oq),
                    () => N.ColumnMoments.GatherWindows(gs, gq, bands, runs, es, eq, os, oq), 300 * m, rounds);
            }
        }
        if (what is "all" or "runs")
        {
            // The statistics pass's work per quadrant row of a 3840 px image, RGB and RGBA, from the two sampled rows to the
            // window sums: the column path (store, run sums, gather: the baseline's) against the runs straight from the
            // bytes and the window pairs (this tree's QuadrantRuns).
            foreach (int bands in new[] { 3, 4 })
            {
                const int pixels = 3840, runs = pixels / 4, pitch = runs / 2;
                int stride = pixels * bands, length = stride + 8 * bands;
                byte[] r1 = new byte[stride], r2 = new byte[stride];
                rng.NextBytes(r1);
                rng.NextBytes(r2);
                ushort[] cs = new ushort[length];
                uint[] cq = new uint[length];
                int[] es = new int[bands * pitch], eq = new int[bands * pitch], os = new int[bands * pitch], oq = new int[bands * pitch];
                int[] rs = new int[bands * pitch], rq = new int[bands * pitch], ro = new int[bands * pitch], roq = new int[bands * pitch];
                Compare($"Window sums of a 3840 px quadrant row, {bands} bands", ws,
                    () =>
                    {
                        O.ColumnMoments.Store(r1, r2, cs.AsSpan(0, stride), cq.AsSpan(0, stride), ow);
                        O.ColumnMoments.AddRuns(cs, cq, bands, ow);
                        O.ColumnMoments.GatherWindows(cs, cq, bands, runs, es, eq, os, oq);
                    },
                    () =>
                    {
                        N.QuadrantRuns.Sum(r1, r2, bands, pixels, pitch, rs, rq, ro, roq, nw);
                        N.QuadrantRuns.PairWindows(rs, ro, bands, runs, pitch, es, os, nw);
                        N.QuadrantRuns.PairWindows(rq, roq, bands, runs, pitch, eq, oq, nw);
                    }, 300 * m, rounds);
            }
        }
        if (what is "all" or "activity")
        {
            // The mask pass's work per row of 8 × 8 blocks of a 3840 px RGB image: the two sampled row pairs' group sums,
            // each block's sum and its bin. Baseline: one Groups call per pair, a bounds-checked loop over each block's
            // groups per pair and a 64-bit division per block (the embedder's loop before the fourteenth step, written
            // out here); this tree: PairedGroups, SumBlocks and the whole blocks' exact reciprocal.
            const int bands = 3, width3840 = 3840, blocks = width3840 / 8, groups = (width3840 - 1) * bands / 8;
            byte[][] rows = [new byte[width3840 * bands], new byte[width3840 * bands], new byte[width3840 * bands], new byte[width3840 * bands]];
            foreach (byte[] row in rows) rng.NextBytes(row);
            ulong[] sums = new ulong[groups];
            uint[] acc = new uint[blocks];
            byte[] bins = new byte[blocks];
            const long samples = bands * 8 * 3 / bands * 2;
            ulong reciprocal = ulong.MaxValue / samples + 1;
            Compare("Mask row of 480 RGB blocks", ws, () =>
            {
                Array.Clear(acc);
                for (int pair = 0; pair < 2; pair++)
                {
                    O.GradientActivity.Groups(rows[2 * pair], rows[2 * pair + 1], bands, sums, ulong.MaxValue, ow);
                    for (int bx = 0; bx < blocks; bx++)
                    {
                        int g0 = bx * bands, g1 = Math.Min(groups, g0 + bands);
                        ulong sum = 0;
                        for (int g = g0; g < g1; g++) sum += sums[g];
                        acc[bx] += (uint)sum;
                    }
                }
                for (int bx = 0; bx < blocks; bx++)
                {
                    int g0 = bx * bands, g1 = Math.Min(groups, g0 + bands);
                    long n = (long)Math.Max(0, g1 - g0) * 8 * 3 / bands * 2;
                    bins[bx] = (byte)(n == 0 ? 0 : (int)Math.Min(255, acc[bx] * 8L / n));
                }
            }, () =>
            {
                N.GradientActivity.PairedGroups(rows[0], rows[1], rows[2], rows[3], bands, sums, ulong.MaxValue, nw);
                N.GradientActivity.SumBlocks(sums, bands, acc);
                int whole = groups / bands;
                for (int bx = 0; bx < whole; bx++) bins[bx] = (byte)Math.Min(255UL, Math.BigMul(reciprocal, (ulong)acc[bx] * 8, out _));
                for (int bx = whole; bx < blocks; bx++)
                {
                    int g0 = bx * bands, g1 = Math.Min(groups, g0 + bands);
                    long n = (long)Math.Max(0, g1 - g0) * 8 * 3 / bands * 2;
                    bins[bx] = (byte)(n == 0 ? 0 : (int)Math.Min(255, acc[bx] * 8L / n));
                }
            }, 2000 * m, rounds);
        }
    }
}
