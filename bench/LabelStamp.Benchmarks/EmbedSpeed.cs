using System.Globalization;
using System.Security.Cryptography;
using LabelStamp.Marks.Image;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `-- embed-speed CORPUS_DIR [--every K] [--runs R] [--match TEXT] [--strength S]`: the image embed alone over the development corpus, as the
/// stamp runs it (the key's layout made once, every path warmed to tier-1 code first), one line per image: thread CPU of the embed, min and median of R
/// runs, and the SHA-256 of the marked pixels (every image, not only mark-digest's every 8th, so two builds'
/// outputs compare the embed bit for bit over the whole corpus), then medians by size band. Paired A/B: run two
/// builds' copies of this command one after the other, several times over (old, new, old, new, …), and take
/// per image the minimum over each build's rounds (bench/WATERMARK.md, thirteenth step). <c>--strength</c> embeds at
/// another strength than the stamp's default (1; the CLI's <c>--strength</c> range, (0, 8]), so the marked pixels of two
/// builds also compare where the PSNR floor binds harder or not at all.
/// </summary>
public static class EmbedSpeed
{
    public static int Run(string[] args)
    {
        if (args.Length < 1 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            Console.Error.WriteLine("usage: embed-speed CORPUS_DIR [--every K] [--runs R] [--match TEXT] [--strength S]");
            return 2;
        }
        string root = Path.GetFullPath(args[0]);
        int every = 1, runs = 5;
        string match = "";
        double strength = ImageMarkEmbedder.DefaultStrength;
        for (int i = 1; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--every": every = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--match": match = args[i + 1]; break;
                case "--strength": strength = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (every < 1 || runs < 1) throw new ArgumentException("--every and --runs must be ≥ 1");

        var key = BenchKeys.Corpus;
        var layout = new ImageMarkLayout(key);
        var payload = DigestCorpus.Payload;
        List<CorpusImage> selected = ImageCorpusManifest.Read(root).Where((_, i) => i % every == 0)
            .Where(c => c.File.Contains(match, StringComparison.Ordinal)).ToList();
        var rows = new List<(CorpusImage Image, double Min, double Median)>();
        var inv = CultureInfo.InvariantCulture;
        WarmUp(root, selected, layout, payload, strength);
        foreach (CorpusImage image in selected)
        {
            PixelBuffer original = VipsPixels.Load(Path.Combine(root, image.File));
            var work = new PixelBuffer((byte[])original.Data.Clone(), original.Width, original.Height, original.Bands);
            var t = new double[runs];
            string digest = "";
            for (int r = 0; r < runs; r++)
            {
                original.Data.CopyTo(work.Data, 0);
                double t0 = CpuClock.Thread();
                ImageMarkEmbedder.Embed(work, layout, payload, strength);
                t[r] = (CpuClock.Thread() - t0) * 1000;
                if (r == 0) digest = Convert.ToHexStringLower(SHA256.HashData(work.Data))[..16];
            }
            double min = t.Min(), median = Stats.Median(t);
            rows.Add((image, min, median));
            Console.WriteLine(string.Create(inv, $"{image.File}\t{image.Width}\t{image.Height}\t{min:F4}\t{median:F4}\t{digest}"));
        }
        Console.WriteLine($"# by size band (short side): images, MP median, embed ms median (per image min of {runs}), MP/s median, MP/s worst");
        foreach (var g in rows.GroupBy(r => ImageCorpusManifest.BandOf(r.Image.Width, r.Image.Height))
                     .OrderBy(g => Array.IndexOf(ImageCorpusManifest.Bands, g.Key)))
        {
            double[] rate = g.Select(r => r.Image.Width * (double)r.Image.Height / 1e3 / r.Min).ToArray();
            Console.WriteLine(string.Create(inv,
                $"# {g.Key}\t{g.Count()}\t{Stats.Median(g.Select(r => r.Image.Width * (double)r.Image.Height / 1e6)):F2}\t{Stats.Median(g.Select(r => r.Min)):F3}\t{Stats.Median(rate):F0}\t{rate.Min():F0}"));
        }
        Console.WriteLine($"# load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    /// <summary>
    /// Tier-1 code for every path the figures take before the first one: the first image of each size band and pixel
    /// layout in the selection embedded over and over for at least a second of wall time, then a pause for the background
    /// compiler. Thirty embeds of one 256 px image (the earlier warm-up) took about 10 ms, less than the runtime's 100 ms
    /// call-counting delay, and never ran the paths only larger images take (the packed headroom count above 1 MP), so
    /// every process measured its first ten images on tier-0 code (bench/WATERMARK.md, sixteenth step: embed).
    /// </summary>
    private static void WarmUp(string root, List<CorpusImage> selected, ImageMarkLayout layout, Marks.Payload.MarkPayload payload, double strength)
    {
        var firsts = selected.GroupBy(c => (ImageCorpusManifest.BandOf(c.Width, c.Height), Path.GetExtension(c.File)))
            .Select(g => g.First()).ToList();
        var images = new List<(PixelBuffer Original, PixelBuffer Work)>();
        foreach (var c in firsts)
        {
            PixelBuffer original = VipsPixels.Load(Path.Combine(root, c.File));
            images.Add((original, new PixelBuffer((byte[])original.Data.Clone(), original.Width, original.Height, original.Bands)));
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int round = 0; round < 40 || clock.ElapsedMilliseconds < 1000; round++)
            foreach (var (original, work) in images)
            {
                original.Data.CopyTo(work.Data, 0);
                ImageMarkEmbedder.Embed(work, layout, payload, strength);
            }
        Thread.Sleep(300);
    }
}
