using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Marks.Video;

namespace LabelStamp.Benchmarks;

/// <summary>
/// What the video readers' prefilter (<see cref="LocalContrast"/>, issue 18 round 19) does, and the variants it was chosen
/// from: on a file's sampled frames (every step-th, at most <see cref="VideoMarkSampling.MaxAveragedFrames"/>, decoded to
/// gray), the plain mean (the static detector's plane) and verify's registered canvases are built once, and each column
/// reads them: "none" the readers without a prefilter (as before round 19), "product" with the product's, and the others
/// with a bench prefilter instead — "hp" the cell-sized high-pass alone, "pN" the high-pass divided by (window RMS + 1)^N
/// over a cell-sized window (p2 is the product's), "p2-m2" the RMS over two cells. Bits corrected and z per reading, "-"
/// where nothing decodes. Bench code.
/// </summary>
public static class ReadPrefilters
{
    /// <summary>A prefilter: name and the transform of (plane, valid, width, height, cell size in pixels).</summary>
    private sealed record Prefilter(string Name, Func<float[], bool[]?, int, int, double, float[]> Apply);

    /// <summary>Null: the product reader's own prefilter; "none" is the identity with the product's prefilter off.</summary>
    private static readonly Prefilter?[] Filters =
    [
        new("none", (p, _, _, _, _) => p),
        null,
        new("hp", (p, v, w, h, cell) => HighPass(p, v, w, h, (int)Math.Round(cell))),
        new("p1", (p, v, w, h, cell) => ContrastNormalised(p, v, w, h, (int)Math.Round(cell), (int)Math.Round(cell), 1f, 1f)),
        new("p1.5", (p, v, w, h, cell) => ContrastNormalised(p, v, w, h, (int)Math.Round(cell), (int)Math.Round(cell), 1f, 1.5f)),
        new("p2", (p, v, w, h, cell) => ContrastNormalised(p, v, w, h, (int)Math.Round(cell), (int)Math.Round(cell), 1f, 2f)),
        new("p3", (p, v, w, h, cell) => ContrastNormalised(p, v, w, h, (int)Math.Round(cell), (int)Math.Round(cell), 1f, 3f)),
        new("p4", (p, v, w, h, cell) => ContrastNormalised(p, v, w, h, (int)Math.Round(cell), (int)Math.Round(cell), 1f, 4f)),
        new("p2-m2", (p, v, w, h, cell) => ContrastNormalised(p, v, w, h, (int)Math.Round(cell), (int)Math.Round(2 * cell), 1f, 2f)),
    ];

    public static int Run(string keyFile, IReadOnlyList<string> files)
    {
        var key = MarkKey.FromFile(keyFile);
        Console.WriteLine("file\treader\t" + string.Join('\t', Filters.Select(f => f?.Name ?? "product")));
        foreach (string file in files)
        {
            var (w, h, total) = RegisteredMarkReader.Probe(file);
            int step = VideoMarkSampling.Step(total);
            double[] sum = new double[w * h];
            int frames = 0;
            using var pair = new RegisteredCanvasPair(w, h);
            foreach (byte[] buf in GrayFrames.Read(file, w, h, 1e6, step > 1 ? $"select='not(mod(n\\,{step}))'" : null))
            {
                if (frames >= VideoMarkSampling.MaxAveragedFrames) break;
                frames++;
                for (int i = 0; i < buf.Length; i++) sum[i] += buf[i];
                pair.Add(buf);
            }
            float[] mean = new float[w * h];
            for (int i = 0; i < mean.Length; i++) mean[i] = (float)(sum[i] / frames);
            var (cols, _) = VideoMarkLayout.Grid(w, h);
            string? dir = Path.GetDirectoryName(file);
            string name = Path.GetFileName(Path.GetDirectoryName(dir)) + "/" + Path.GetFileName(dir) + "/" + Path.GetFileName(file);

            var cells = new List<string>();
            foreach (var f in Filters)
                cells.Add(Describe(f is null
                    ? VideoMarkDetector.Detect(mean, w, h, key)
                    : VideoMarkDetector.Detect(f.Apply(mean, null, w, h, (double)w / cols), w, h, key, VideoMarkLayout.ShortSideCells, prefilter: false)));
            Console.WriteLine($"{name}\tstatic\t{string.Join('\t', cells)}");

            double s0 = CpuClock.Thread();
            LocalContrast.Normalise(mean, default, w, h, (double)w / cols);
            var costs = new List<string> { string.Create(CultureInfo.InvariantCulture, $"mean {w}×{h} {1e3 * (CpuClock.Thread() - s0):0} ms") };
            var canvases = pair.KeyFramedIsChained ? new[] { pair.Chained } : new[] { pair.Chained, pair.KeyFramed! };
            for (int i = 0; i < canvases.Length; i++)
            {
                var c = canvases[i];
                var (cm, cv) = c.Mean();
                double cell = (double)c.FrameWidth / cols;
                cells.Clear();
                foreach (var f in Filters)
                {
                    var g = f is null
                        ? RegisteredMarkSearch.Detect(cm, cv, c.Width, c.Height, c.FrameWidth, c.FrameHeight, key, zoomed: c.Zoomed)
                        : RegisteredMarkSearch.Detect(f.Apply(cm, cv, c.Width, c.Height, cell), cv, c.Width, c.Height, c.FrameWidth, c.FrameHeight, key,
                            c.Zoomed, fineScale: true, prefilter: false);
                    cells.Add(g is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{g.BitErrorsCorrected} z{g.ZScore:0.0}"));
                }
                Console.WriteLine($"{name}\t{(i == 0 ? "chained" : "key-framed")} ({c.Moved} moved)\t{string.Join('\t', cells)}");
                double t0 = CpuClock.Thread();
                LocalContrast.Normalise(cm, cv, c.Width, c.Height, cell);
                costs.Add(string.Create(CultureInfo.InvariantCulture, $"canvas {c.Width}×{c.Height} {1e3 * (CpuClock.Thread() - t0):0} ms"));
            }
            Console.WriteLine($"# {name}: the product's prefilter, thread CPU: {string.Join(", ", costs)}");
        }
        return 0;
    }

    private static string Describe(VideoMarkDetection? d) =>
        d is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{d.BitErrorsCorrected} z{d.ZScore:0.0}");

    /// <summary>The plane minus its k × k box mean over valid pixels (invalid pixels stay as they were).</summary>
    private static float[] HighPass(float[] p, bool[]? valid, int w, int h, int k)
    {
        var (mean, _) = BoxMean(p, valid, w, h, k);
        float[] o = new float[w * h];
        for (int i = 0; i < o.Length; i++) o[i] = valid is null || valid[i] ? p[i] - mean[i] : p[i];
        return o;
    }

    /// <summary>The high-pass (box k) divided by (the local RMS of the high-pass (box m) + eps) to the power.</summary>
    private static float[] ContrastNormalised(float[] p, bool[]? valid, int w, int h, int k, int m, float eps, float power)
    {
        float[] hp = HighPass(p, valid, w, h, k);
        float[] sq = new float[hp.Length];
        for (int i = 0; i < sq.Length; i++) sq[i] = hp[i] * hp[i];
        var (energy, _) = BoxMean(sq, valid, w, h, m);
        float[] o = new float[hp.Length];
        for (int i = 0; i < o.Length; i++) o[i] = valid is null || valid[i] ? 16f * hp[i] / MathF.Pow(MathF.Sqrt(energy[i]) + eps, power) : p[i];
        return o;
    }

    private static (float[] Mean, float[] Count) BoxMean(float[] p, bool[]? valid, int w, int h, int k)
    {
        int r = Math.Max(1, k / 2);
        double[] s = new double[(w + 1) * (h + 1)], n = new double[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++)
        {
            double rs = 0, rn = 0;
            for (int x = 0; x < w; x++)
            {
                bool ok = valid is null || valid[y * w + x];
                if (ok) { rs += p[y * w + x]; rn++; }
                s[(y + 1) * (w + 1) + x + 1] = s[y * (w + 1) + x + 1] + rs;
                n[(y + 1) * (w + 1) + x + 1] = n[y * (w + 1) + x + 1] + rn;
            }
        }
        float[] mean = new float[w * h], count = new float[w * h];
        for (int y = 0; y < h; y++)
        {
            int y0 = Math.Max(0, y - r), y1 = Math.Min(h, y + r + 1);
            for (int x = 0; x < w; x++)
            {
                int x0 = Math.Max(0, x - r), x1 = Math.Min(w, x + r + 1);
                double ss = s[y1 * (w + 1) + x1] - s[y0 * (w + 1) + x1] - s[y1 * (w + 1) + x0] + s[y0 * (w + 1) + x0];
                double nn = n[y1 * (w + 1) + x1] - n[y0 * (w + 1) + x1] - n[y1 * (w + 1) + x0] + n[y0 * (w + 1) + x0];
                mean[y * w + x] = nn > 0 ? (float)(ss / nn) : 0f;
                count[y * w + x] = (float)nn;
            }
        }
        return (mean, count);
    }
}
