using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Marks.Video;

namespace LabelStamp.Benchmarks;

/// <summary>
/// Where verify's registered read spends its CPU (issue 18, round 16): on a file's sampled frames (every step-th, at most
/// <see cref="VideoMarkSampling.MaxAveragedFrames"/>, as verify keeps them; decoded to <c>gray</c> here, so the bits can
/// differ from verify's by a few, the cost cannot), in thread CPU time: each canvas's <see cref="RegisteredCanvas.Add"/>
/// (its tracker step, the halving above 1920 × 1088 and the placement), the same tracker settings stepped alone over the
/// same frames (so placement = Add − tracker; the tracker's reduce / coarse / fine split from its clock), each canvas's
/// mean and <see cref="RegisteredMarkSearch.Detect"/> under the key, and the canvases' pooled bytes. Bench code.
/// </summary>
public static class RegisteredReadSplit
{
    public static int Run(string keyFile, IReadOnlyList<string> files)
    {
        var key = MarkKey.FromFile(keyFile);
        Console.WriteLine("file\tframes\tcanvas\tsize\tmoved\theld\tadd ms/frame\ttracker ms/frame\treduce\tcoarse\tfine\tplace+halve ms/frame\tmean ms\tsearch ms\tdecodes\tsum+count MB\tmean+valid MB");
        foreach (string file in files)
        {
            var (w, h, total) = RegisteredMarkReader.Probe(file);
            int step = VideoMarkSampling.Step(total);
            int half = (long)w * h > 1920 * 1088 ? 2 : 1;
            var arms = new (string Name, RegisteredCanvas Canvas, ReducedPhaseTracker Tracker, double[] T)[]
            {
                ("chained", new RegisteredCanvas(w, h), Tracker(w / half, h / half, 1, 0), new double[2]),
                ("key frames", new RegisteredCanvas(w, h, keyFrameSteps: RegisteredCanvas.KeyFrameSteps, holdSteps: RegisteredCanvas.HoldSteps),
                    Tracker(w / half, h / half, RegisteredCanvas.KeyFrameSteps, RegisteredCanvas.HoldSteps), new double[2]),
            };
            // Round 16: both canvases through verify's pair (one halving, the key-frame canvas summing only from the first
            // frame the two place apart).
            var pair = new RegisteredCanvasPair(w, h);
            double pairSeconds = 0;
            byte[] reduced = new byte[(w / half) * (h / half)];
            int frames = 0;
            foreach (byte[] buf in GrayFrames.Read(file, w, h, 1e6, step > 1 ? $"select='not(mod(n\\,{step}))'" : null))
            {
                if (frames >= VideoMarkSampling.MaxAveragedFrames) break;
                frames++;
                double p0 = CpuClock.Thread();
                pair.Add(buf);
                pairSeconds += CpuClock.Thread() - p0;
                if (half > 1) Halve(buf, w, h, reduced);
                foreach (var (_, canvas, tracker, t) in arms)
                {
                    double t0 = CpuClock.Thread();
                    canvas.Add(buf);
                    double t1 = CpuClock.Thread();
                    tracker.Step(half > 1 ? reduced : buf);
                    double t2 = CpuClock.Thread();
                    t[0] += t1 - t0;
                    t[1] += t2 - t1;
                }
            }
            using (pair)
            {
                double t0 = CpuClock.Thread();
                bool same = pair.KeyFramedIsChained;
                int searched = 0;
                foreach (var c in same ? new[] { pair.Chained } : new[] { pair.Chained, pair.KeyFramed! })
                {
                    var (mean, valid) = c.MeanInPlace();
                    RegisteredMarkSearch.Detect(mean, valid, c.Width, c.Height, c.FrameWidth, c.FrameHeight, key, zoomed: c.Zoomed);
                    searched++;
                }
                double t1 = CpuClock.Thread();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"# pair: add {1e3 * pairSeconds / frames:0.00} ms/frame (both canvases), {pair.SharedFrames} of {frames} frames placed alike{(same ? " (key-frame canvas = chained: one search)" : "")}, means and {searched} searches {1e3 * (t1 - t0):0} ms"));
            }
            foreach (var (name, canvas, tracker, t) in arms)
            {
                using var c = canvas;
                using var tr = tracker;
                double t0 = CpuClock.Thread();
                var (mean, valid) = c.Mean();
                double t1 = CpuClock.Thread();
                var g = RegisteredMarkSearch.Detect(mean, valid, c.Width, c.Height, c.FrameWidth, c.FrameHeight, key, zoomed: c.Zoomed);
                double t2 = CpuClock.Thread();
                double px = (double)c.Width * c.Height;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(file)))}/{Path.GetFileName(Path.GetDirectoryName(file))}/{Path.GetFileName(file)}\t{frames}\t{name}\t{c.Width}×{c.Height}\t{c.Moved}\t{c.Held}\t{1e3 * t[0] / frames:0.00}\t{1e3 * t[1] / frames:0.00}\t{1e3 * tr.ReduceSeconds / frames:0.00}\t{1e3 * tr.CoarseSeconds / frames:0.00}\t{1e3 * tr.FineSeconds / frames:0.00}\t{1e3 * (t[0] - t[1]) / frames:0.00}\t{1e3 * (t1 - t0):0}\t{1e3 * (t2 - t1):0}\t{(g is null ? "no decode" : $"{g.BitErrorsCorrected} bits, z {g.ZScore:0.0}")}\t{px * 6 / (1 << 20):0.0}\t{px * 5 / (1 << 20):0.0}"));
            }
        }
        return 0;
    }

    private static ReducedPhaseTracker Tracker(int w, int h, int keySteps, int hold) => new(w, h)
    {
        DropOnePatch = true, AvoidCorners = true, MinimumZoomPixels = ReducedPhaseTracker.ZoomHoldPixels,
        KeyFrameSteps = keySteps, ReferenceHoldSteps = hold, Clock = CpuClock.Thread,
    };

    private static void Halve(byte[] src, int w, int h, byte[] dest)
    {
        int fw = w / 2, fh = h / 2;
        for (int y = 0; y < fh; y++)
            for (int x = 0; x < fw; x++)
                dest[y * fw + x] = (byte)((src[2 * y * w + 2 * x] + src[2 * y * w + 2 * x + 1] + src[(2 * y + 1) * w + 2 * x] + src[(2 * y + 1) * w + 2 * x + 1] + 2) >> 2);
    }
}
