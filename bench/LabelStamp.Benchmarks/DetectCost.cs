using System.Globalization;
using System.Text;
using LabelStamp.Marks.Image;
using LabelStamp.Media.Images;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `detect-cost CORPUS_DIR [--every K] [--runs R] [--results FILE] [--band B] [--match TEXT] [--key-made]`: the read alone of `image-cost` (one full
/// <see cref="ImageMarkDetector.Read(PixelBuffer, LabelStamp.Labels.MarkKey)"/> of the marked pixels, thread CPU, minimum
/// of R reads after untimed reads that bring its path to tier-1 code, <see cref="TierWarmUp"/>) for every K-th corpus image, marked in memory as the digests mark it
/// (<see cref="DigestCorpus"/>), without the stamp, the plain re-encode and the encoders `image-cost` also times: a
/// detect change is measured over the corpus in minutes, and two builds started together share the machine's load
/// (paired). Prints the median and worst ms/MP per size band; <c>--results FILE</c> keeps one line per image; <c>--band B</c>
/// (e.g. 385-768) reads only that band's images (a profile of one band), <c>--match TEXT</c> only the files whose name
/// contains TEXT (a few images read again, many times). <c>--key-made</c> reads with the key's layout and sync spectra made
/// once beforehand, as <see cref="ImageWatermark"/> holds them for every file a verify or a worker reads under one key; without
/// it each read makes them (a one-file verify's cost).
/// </summary>
public static class DetectCost
{
    public static int Run(string[] args)
    {
        if (args.Length < 1 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            Console.Error.WriteLine("usage: detect-cost CORPUS_DIR [--every K] [--runs R] [--results FILE] [--band B] [--match TEXT] [--key-made]");
            return 2;
        }
        string root = Path.GetFullPath(args[0]);
        int every = 4, runs = 3;
        string? resultsPath = null, band = null, match = null;
        bool keyMade = false;
        for (int i = 1; i < args.Length; i += 2)
        {
            if (args[i] == "--key-made") { keyMade = true; i--; continue; }
            if (i + 1 >= args.Length) throw new ArgumentException($"{args[i]} needs a value");
            string value = args[i + 1];
            switch (args[i])
            {
                case "--every": every = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--results": resultsPath = value; break;
                case "--band": band = value; break;
                case "--match": match = value; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (every < 1 || runs < 1) throw new ArgumentException("--every and --runs must be ≥ 1");
        VipsRuntime.EnsureInitialised();
        var inv = CultureInfo.InvariantCulture;
        var rows = new List<(string File, int Width, int Height, double Ms)>();
        var keyMaterial = keyMade ? ImageMarkKeyMaterial.For(BenchKeys.Corpus) : null;
        foreach (var (file, _, marked) in DigestCorpus.EveryKth(root, every))
        {
            if (Math.Min(marked.Width, marked.Height) < ImageMarkDetector.MinimumSide) continue;
            if (band is not null && ImageCorpusManifest.BandOf(marked.Width, marked.Height) != band) continue;
            if (match is not null && !file.Contains(match, StringComparison.Ordinal)) continue;
            // Every image read untimed first until its path is tier-1 code (TierWarmUp): one warm-up read left the first
            // images at tier 0 (140-216 ms/MP for the first 256 px image against 20-40 for the others), and forty reads of a
            // first image that decides at the origin's offset (0.25 ms each) end before the runtime's call counting starts, so
            // the next images were timed at tier 0 (a 768² read 10.6 ms against 2.6; bench/WATERMARK.md, twenty-fifth step).
            TierWarmUp.Run(() => Read(marked, keyMaterial));
            double best = double.MaxValue;
            for (int r = 0; r < runs; r++)
            {
                double t0 = CpuClock.Thread();
                Read(marked, keyMaterial);
                best = Math.Min(best, CpuClock.Thread() - t0);
            }
            rows.Add((file, marked.Width, marked.Height, best * 1e3));
            string line = string.Create(inv, $"{file}\t{marked.Width}\t{marked.Height}\t{best * 1e3:F3}\t{best * 1e3 / Megapixels(marked.Width, marked.Height):F2}");
            Console.Error.WriteLine(line);
            if (resultsPath is not null) File.AppendAllText(resultsPath, line + "\n");
        }
        Console.WriteLine(Report(rows, every, runs, keyMade));
        return 0;
    }

    private static void Read(PixelBuffer marked, ImageMarkKeyMaterial? keyMaterial)
    {
        if (keyMaterial is null) ImageMarkDetector.Read(marked, BenchKeys.Corpus);
        else ImageMarkDetector.Read(marked, keyMaterial);
    }

    private static double Megapixels(int w, int h) => w * (double)h / 1e6;

    private static string Report(List<(string File, int Width, int Height, double Ms)> rows, int every, int runs, bool keyMade)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"{rows.Count} images (every {every}), thread CPU, minimum of {runs} reads, {(keyMade ? "the key made once beforehand" : "each read making the key")}; load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}").AppendLine();
        sb.AppendLine("| size band | images | detect ms/MP, median | detect ms, median | worst ms/MP | worst image |").AppendLine("|---|---:|---:|---:|---:|---|");
        var groups = rows.GroupBy(r => ImageCorpusManifest.BandOf(r.Width, r.Height))
            .OrderBy(g => Array.IndexOf(ImageCorpusManifest.Bands, g.Key)).Select(g => (Band: g.Key, Rows: g.ToList())).ToList();
        groups.Add(("all", rows));
        foreach (var (band, g) in groups)
        {
            if (g.Count == 0) continue;
            var worst = g.MaxBy(r => r.Ms / Megapixels(r.Width, r.Height));
            sb.AppendLine(inv, $"| {band} | {g.Count} | {Stats.Median(g.Select(r => r.Ms / Megapixels(r.Width, r.Height))):F1} | {Stats.Median(g.Select(r => r.Ms)):F1} | {worst.Ms / Megapixels(worst.Width, worst.Height):F1} | {(band == "all" ? "" : worst.File)} |");
        }
        return sb.ToString();
    }
}
