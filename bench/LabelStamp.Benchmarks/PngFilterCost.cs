using System.Globalization;
using LabelStamp.Formats.Png;
using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using NetVips;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `png-filter-cost CORPUS_DIR [--every K] [--runs R] [--filters none,up,…]`: the product's PNG encode (<see cref="ImageCodec.Encode"/>, zlib
/// level <see cref="ImageEncodeOptions.PngCompression"/>) with each libvips row filter, on every K-th PNG of the
/// development corpus, unmarked and after the watermark alone: process CPU (libvips encodes on its own thread; minimum
/// of R runs, the filters interleaved within each run) and bytes. The stamp/plain ratio's PNG side is this encode on the
/// marked frame against it on the unmarked one, with the same filter on both. Each line also gives the frame's share of
/// bytes that repeat the row above (<see cref="PngFilterChoice.RepeatedShare"/>), unmarked and marked, and the filter the
/// stamp would choose for the marked frame (<see cref="PngFilterChoice.ForMarked"/>), and the CPU of taking both shares.
/// </summary>
public static class PngFilterCost
{
    private static readonly Enums.ForeignPngFilter[] AllFilters =
    [
        Enums.ForeignPngFilter.None, Enums.ForeignPngFilter.Sub, Enums.ForeignPngFilter.Up,
        Enums.ForeignPngFilter.Avg, Enums.ForeignPngFilter.Paeth, Enums.ForeignPngFilter.All,
    ];

    public static int Run(string[] args)
    {
        if (args.Length < 1) { Console.Error.WriteLine("usage: png-filter-cost CORPUS_DIR [--every K] [--runs R] [--filters none,up,…]"); return 2; }
        string root = Path.GetFullPath(args[0]);
        int every = 1, runs = 3;
        Enums.ForeignPngFilter[] filters = AllFilters;
        for (int i = 1; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--filters")
            {
                filters = args[i + 1].Split(',').Select(f => Enum.Parse<Enums.ForeignPngFilter>(f, ignoreCase: true)).ToArray();
                continue;
            }
            int value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            if (args[i] == "--every") every = value;
            else if (args[i] == "--runs") runs = value;
            else throw new ArgumentException($"unknown option {args[i]}");
        }
        VipsRuntime.EnsureInitialised();
        var key = BenchKeys.Corpus;
        var material = ImageMarkKeyMaterial.For(key);
        var payload = MarkPayload.For(MarkId.Compute(key, "001191310000000000000000000", "png-filter-cost"), key);
        List<CorpusImage> pngs = ImageCorpusManifest.Read(root).Where((_, i) => i % every == 0).Where(c => c.Format == "png").ToList();
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"Corpus `{root}`: {pngs.Count} PNGs (every {every}th image); process CPU ms, minimum of {runs}; bytes");
        Console.WriteLine("image\tsize\tpixels\tfilter\tunmarked ms\tmarked ms\tunmarked bytes\tmarked bytes\trepeated unmarked\trepeated marked\tchosen\tshare ms");
        bool first = true;
        foreach (CorpusImage image in pngs)
        {
            byte[] input = File.ReadAllBytes(Path.Combine(root, image.File));
            var header = ImageHeader.Read(input, MediaSniffer.Sniff(input, image.File), image.File);
            using var unmarked = ImageCodec.Decode(input, header, image.File);
            using var marked = ImageCodec.Decode(input, header, image.File);
            if (Math.Min(marked.Pixels.Width, marked.Pixels.Height) >= ImageMarkDetector.MinimumSide)
                ImageMarkEmbedder.Embed(marked.Pixels, material.Layout, payload);
            var ms = new double[filters.Length, 2];
            var bytes = new long[filters.Length, 2];
            for (int f = 0; f < filters.Length; f++) ms[f, 0] = ms[f, 1] = double.MaxValue;
            for (int r = 0; r < runs + (first ? 1 : 0); r++)
                for (int f = 0; f < filters.Length; f++)
                {
                    var options = new ImageEncodeOptions { PngFilter = filters[f] };
                    foreach ((int side, DecodedImage decoded) in new[] { (0, unmarked), (1, marked) })
                    {
                        double t0 = CpuClock.Own();
                        bytes[f, side] = ImageCodec.Encode(decoded, header, options, image.File).Length;
                        ms[f, side] = Math.Min(ms[f, side], (CpuClock.Own() - t0) * 1e3);
                    }
                }
            first = false;
            // The two shares as the stamp takes them (thread CPU of both, the second of two passes: warm).
            double shareMs = double.MaxValue, repeatedUnmarked = 0, repeatedMarked = 0;
            for (int pass = 0; pass < 2; pass++)
            {
                double s0 = CpuClock.Thread();
                repeatedUnmarked = PngFilterChoice.RepeatedShare(unmarked.Pixels);
                repeatedMarked = PngFilterChoice.RepeatedShare(marked.Pixels);
                shareMs = Math.Min(shareMs, (CpuClock.Thread() - s0) * 1e3);
            }
            var chosen = PngFilterChoice.ForMarked(repeatedUnmarked, repeatedMarked);
            for (int f = 0; f < filters.Length; f++)
                Console.WriteLine(string.Create(inv,
                    $"{image.File}\t{image.Width}x{image.Height}\t{marked.Pixels.Bands}\t{filters[f]}\t{ms[f, 0]:F2}\t{ms[f, 1]:F2}\t{bytes[f, 0]}\t{bytes[f, 1]}\t{repeatedUnmarked:F3}\t{repeatedMarked:F3}\t{chosen}\t{shareMs:F3}"));
        }
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }
}
