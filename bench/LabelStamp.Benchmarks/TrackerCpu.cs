using System.Globalization;
using System.Security.Cryptography;
using LabelStamp.Kernels.Fft;
using LabelStamp.Marks.Video;

namespace LabelStamp.Benchmarks;

/// <summary>
/// The content-locked tracker's CPU (issue 18, round 17): over a clip's first seconds (decoded to <c>gray</c>), thread
/// CPU ms a frame of <see cref="ReducedPhaseTracker.Step"/> with the embedder's settings and with the registered reader's
/// (chained), split by its clock into reduce / coarse / fine, and a SHA-256 over every step's result and state (the
/// map, kind, SNR, patch count, zoom, fit), so two builds can be shown to track alike to the bit. Then the parts of one
/// step timed alone on one of the clip's frame pairs (repeated calls, thread CPU): the reductions, windowing, transforms,
/// cross powers and peak searches. Bench code.
/// </summary>
public static class TrackerCpu
{
    public static int Run(double seconds, IReadOnlyList<string> clips)
    {
        Console.WriteLine("clip\tframes\tsettings\tms/frame\treduce\tcoarse\tfine\tdigest");
        foreach (string clip in clips)
        {
            var (w, h) = GrayFrames.Size(clip);
            var arms = new (string Name, ReducedPhaseTracker Tracker, IncrementalHash Hash, double[] T)[]
            {
                ("embedder", new ReducedPhaseTracker(w, h)
                {
                    MinimumZoomPixels = ReducedPhaseTracker.ZoomHoldPixels, DropOnePatch = true, HoldOnZoom = true, Clock = CpuClock.Thread,
                }, IncrementalHash.CreateHash(HashAlgorithmName.SHA256), new double[1]),
                ("reader", new ReducedPhaseTracker(w, h)
                {
                    DropOnePatch = true, AvoidCorners = true, MinimumZoomPixels = ReducedPhaseTracker.ZoomHoldPixels,
                    KeyFrameSteps = RegisteredCanvas.KeyFrameSteps, ReferenceHoldSteps = RegisteredCanvas.HoldSteps, Clock = CpuClock.Thread,
                }, IncrementalHash.CreateHash(HashAlgorithmName.SHA256), new double[1]),
            };
            byte[] prev = new byte[w * h], last = new byte[w * h];
            int frames = 0;
            byte[] record = new byte[8 * 10];
            foreach (byte[] buf in GrayFrames.Read(clip, w, h, seconds))
            {
                frames++;
                foreach (var (_, tracker, hash, t) in arms)
                {
                    double t0 = CpuClock.Thread();
                    var (s, tx, ty) = tracker.Step(buf);
                    t[0] += CpuClock.Thread() - t0;
                    var fit = tracker.LastFit ?? (0, 0, 0, 0, 0);
                    double[] state = [s, tx, ty, tracker.LastCoarseSnr, tracker.LastSharpPatches, (int)tracker.LastKind, tracker.LastZoom,
                        fit.Alpha, fit.Residual, tracker.LastReferenceKept ? 1 : 0];
                    for (int k = 0; k < state.Length; k++) BitConverter.TryWriteBytes(record[(8 * k)..], state[k]);
                    hash.AppendData(record);
                }
                (prev, last) = (last, prev);
                buf.CopyTo(last);
            }
            string name = Path.GetFileName(clip);
            foreach (var (arm, tracker, hash, t) in arms)
            {
                using var tr = tracker;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}\t{frames}\t{arm}\t{1e3 * t[0] / frames:0.000}\t{1e3 * tr.ReduceSeconds / frames:0.000}\t{1e3 * tr.CoarseSeconds / frames:0.000}\t{1e3 * tr.FineSeconds / frames:0.000}\t{Convert.ToHexString(hash.GetHashAndReset())[..16]}"));
            }
            if (frames >= 2) Parts(name, prev, last, w, h);
        }
        return 0;
    }

    /// <summary>Each part of one step alone, µs a call (thread CPU over repeated calls), on the clip's last two frames.</summary>
    private static void Parts(string name, byte[] prev, byte[] cur, int w, int h)
    {
        const int N = ReducedPhaseTracker.CoarseSize;
        int dc = Math.Max(1, (Math.Max(w, h) + N - 1) / N), cw = w / dc, ch = h / dc;
        int df = Math.Max(1, (Math.Max(w, h) + 255) / 256 / 4), pp = N * df;
        ushort[] sums = new ushort[w];
        float[] re = new float[N * N], im = new float[N * N], pre = new float[N * N], pim = new float[N * N];
        float[] cRe = new float[N * N], cIm = new float[N * N], keep = new float[N * N], keepIm = new float[N * N];
        float[] coarseWindow = PhaseCorrelationPeak.Window(cw, ch), patchWindow = PhaseCorrelationPeak.Window(N, N);
        float[] taper = new float[N * N];
        for (int i = 0; i < taper.Length; i++) taper[i] = 0.5f + 0.5f * (i % 7) / 7f;
        var fft = new FftPlan2D(N);
        int x0 = w / 2 - pp / 2, y0 = h / 2 - pp / 2;
        // As the tracker passes them: the reduced planes' quantum, so the mean is summed as in a step.
        float coarseQuantum = LabelStamp.Kernels.QuantisedSum.QuantumOf(1f / (dc * dc)), patchQuantum = LabelStamp.Kernels.QuantisedSum.QuantumOf(1f / (df * df));
        var parts = new (string Part, int PerStep, Action Body)[]
        {
            ("coarse reduce", 1, () => ReducedPhaseTracker.Reduce(cur, w, sums, 0, 0, dc, cw, ch, re, N)),
            ("coarse prepare", 1, () => { ReducedPhaseTracker.Reduce(cur, w, sums, 0, 0, dc, cw, ch, re, N); PhaseCorrelationPeak.Prepare(re, cw, ch, N, coarseWindow, coarseQuantum); }),
            ("coarse forward fft", 1, () => { Array.Clear(im); fft.Forward(re, im, ch); }),
            ("coarse correlate", 1, () => PhaseCorrelationPeak.Correlate(fft, N, re, im, keep, keepIm, cRe, cIm)),
            ("patch reduce", 8, () => ReducedPhaseTracker.Reduce(cur, w, sums, x0, y0, df, N, N, pre, N)),
            ("patch prepare", 8, () => { ReducedPhaseTracker.Reduce(cur, w, sums, x0, y0, df, N, N, pre, N); PhaseCorrelationPeak.Prepare(pre, N, N, N, patchWindow, patchQuantum); }),
            ("patch forward fft", 4, () => { ReducedPhaseTracker.Reduce(prev, w, sums, x0, y0, df, N, N, pim, N); PhaseCorrelationPeak.Prepare(pim, N, N, N, patchWindow, patchQuantum); fft.Forward(pre, pim); }),
            ("patch packed cross", 4, () => PhaseCorrelationPeak.PackedCross(pre, pim, cRe, cIm, N)),
            ("patch locate", 4, () => { PhaseCorrelationPeak.PackedCross(pre, pim, cRe, cIm, N); PhaseCorrelationPeak.Locate(fft, N, cRe, cIm, taper, 3); }),
            ("inverse fft alone", 5, () => fft.Inverse(cRe, cIm)),
            ("patch mean sum alone", 8, () => LabelStamp.Kernels.QuantisedSum.Sum(pre)),
            ("patch window alone", 8, () => LabelStamp.Kernels.CentredWindow.Apply(pim, 0.5f, patchWindow)),
        };
        // Parts that include their predecessors are reported net of them (prepare − reduce, locate − cross, the fft part
        // of "patch forward fft" − reduce − prepare).
        var us = new Dictionary<string, double>();
        ReducedPhaseTracker.Reduce(prev, w, sums, 0, 0, dc, cw, ch, keep, N);
        PhaseCorrelationPeak.Prepare(keep, cw, ch, N, coarseWindow);
        Array.Clear(keepIm);
        fft.Forward(keep, keepIm, ch);
        foreach (var (part, _, body) in parts)
        {
            var samples = new double[5];
            for (int r = 0; r < samples.Length; r++)
            {
                const int Calls = 40;
                double t0 = CpuClock.Thread();
                for (int c = 0; c < Calls; c++) body();
                samples[r] = 1e6 * (CpuClock.Thread() - t0) / Calls;
            }
            Array.Sort(samples);
            us[part] = samples[2];
        }
        double Net(string a, params string[] minus) { double v = us[a]; foreach (string m in minus) v -= us[m]; return v; }
        var net = new (string Part, int PerStep, double Us)[]
        {
            ("coarse reduce", 1, us["coarse reduce"]),
            ("coarse prepare (mean, window)", 1, Net("coarse prepare", "coarse reduce")),
            ("coarse forward fft", 1, us["coarse forward fft"]),
            ("coarse correlate (cross, whiten, inverse, peak)", 1, us["coarse correlate"]),
            ("patch reduce", 8, us["patch reduce"]),
            ("patch prepare (mean, window)", 8, Net("patch prepare", "patch reduce")),
            ("patch forward fft", 4, Net("patch forward fft", "patch prepare")),
            ("patch packed cross", 4, us["patch packed cross"]),
            ("patch whiten + peak search", 4, Net("patch locate", "patch packed cross", "inverse fft alone")),
            ("inverse fft", 5, us["inverse fft alone"]),
            ("(of patch prepare: the mean's sum)", 0, us["patch mean sum alone"]),
            ("(of patch prepare: the window)", 0, us["patch window alone"]),
        };
        double total = 0;
        foreach (var (_, per, v) in net) total += per * v;
        foreach (var (part, per, v) in net)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# {name} part\t{part}\t{v:0.0} µs × {per}\t{per * v / 1e3:0.000} ms/step\t{100 * per * v / total:0}%"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {name} parts total\t{total / 1e3:0.000} ms/step (d {dc}, patch d {df})"));
    }
}
