using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Marks.Video;

namespace LabelStamp.Benchmarks;

/// <summary>
/// What the video readers' prefilter (<see cref="LocalContrast"/>, issue 18 round 19) does, and the variants it was chosen
/// from: on a file's sampled frames (every step-th, at most <see cref="VideoMarkSampling.MaxAveragedFrames"/>, decoded to
/// gray), the plain mean (the static detector's plane) and verify's registered canvases are built once, and each column
/// reads them: "none" the readers without a prefilter (as before round 19), "product" with the product's, and the others
/// with the product's filter at another setting instead — "hp" the cell-sized high-pass alone, "pN" the high-pass divided
/// by (window RMS + 1)^N over a cell-sized window (p2 is the product's), "p2-m2" the RMS over two cells. Bits corrected and z
/// per reading, "-" where nothing decodes. Bench code.
/// </summary>
public static class ReadPrefilters
{
    /// <summary>A prefilter: name and the transform of (plane, valid, width, height, cell size in pixels).</summary>
    private sealed record Prefilter(string Name, Func<float[], bool[]?, int, int, double, float[]> Apply);

    /// <summary>Null: the product reader's own prefilter; "none" is the identity with the product's prefilter off; the others
    /// are the product's filter with another power of the divisor (0: the high-pass alone) or RMS window, in cells.</summary>
    private static readonly Prefilter?[] Filters =
    [
        new("none", (p, _, _, _, _) => p),
        null,
        Variant("hp", 0, 1),
        Variant("p1", 1, 1),
        Variant("p1.5", 1.5, 1),
        Variant("p2", 2, 1),
        Variant("p3", 3, 1),
        Variant("p4", 4, 1),
        Variant("p2-m2", 2, 2),
    ];

    private static Prefilter Variant(string name, double power, double rmsCells) =>
        new(name, (p, v, w, h, cell) => LocalContrast.Normalise(p, v ?? default(ReadOnlySpan<bool>), w, h, cell, power, rmsCells));

    public static int Run(string keyFile, IReadOnlyList<string> files)
    {
        var key = MarkKey.FromFile(keyFile);
        Console.WriteLine("file\treader\t" + string.Join('\t', Filters.Select(f => f?.Name ?? "product")));
        foreach (string file in files)
        {
            var (w, h, total) = RegisteredMarkReader.Probe(file);
            int step = VideoMarkSampling.Step(total);
            using var sum = new SampledLumaMean(w, h); // the static detector's mean, as verify sums it
            int frames = 0;
            using var pair = new RegisteredCanvasPair(w, h);
            foreach (byte[] buf in GrayFrames.Read(file, w, h, 1e6, step > 1 ? $"select='not(mod(n\\,{step}))'" : null))
            {
                if (frames >= VideoMarkSampling.MaxAveragedFrames) break;
                frames++;
                sum.Add(buf);
                pair.Add(buf);
            }
            float[] mean = sum.Mean()!;
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
}
