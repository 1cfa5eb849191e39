using System.Globalization;
using System.Text;
using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Pipeline;
using LabelStamp.Provenance;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `image-cost CORPUS_DIR [--every K] [--limit N] [--runs R] [--warmup-passes W] [--results FILE] [--report-only]`: what labeling
/// costs an image producer, over the development corpus (bench/corpus/make-image-corpus.sh), by format and
/// size band, worst first:
/// <list type="bullet">
/// <item>CPU: the whole `stamp` (visible label, AIGC XMP, watermark, signed C2PA manifest) against a plain
/// decode + encode of the same file with the same encoder settings (the baseline of the issue's
/// "stamp/plain ≤ 1.10"). Process CPU time, not wall time: libvips runs on one thread here (VipsRuntime),
/// so the figure is per core and the time the scheduler gives other users of the machine is not counted.
/// Minimum of R interleaved runs each.</item>
/// <item>Bytes: the same decoded pixels encoded unmarked and after the watermark alone (same settings): the
/// mark's own byte cost, and the encoder's CPU on each; and the stamp's whole output against the plain re-encode (plate, XMP and manifest too).</item>
/// <item>The watermark's parts alone, thread CPU: the embed, its self-check (<see cref="ImageMarkDetector.ReadsBack"/>, which `stamp`
/// runs so it never claims a mark that does not read) and one full read of the marked pixels (<see cref="ImageMarkDetector.Read"/>, ms/MP).</item>
/// <item>The floor under stamp/plain (<see cref="Row.MarkFloor"/>): what the self-check and the encoder's extra work on the marked pixels
/// alone add to the plain re-encode, by size band.</item>
/// </list>
/// <c>--results FILE</c> appends one line per image and skips images already there (resumable). Before measuring, the
/// first image of every format × size band cell is stamped W times (default 3) so that the tiered JIT has settled.
/// </summary>
public static class ImageCost
{
    private const string Producer = "001191310000000000000000000";

    private sealed record Row(string File, string Class, string Format, int Width, int Height,
        double PlainCpuMs, double StampCpuMs, long UnmarkedBytes, long MarkedBytes, long PlainBytes, long StampBytes, double DetectCpuMs, double EmbedCpuMs, double SelfCheckCpuMs,
        double EncodeUnmarkedCpuMs, double EncodeMarkedCpuMs)
    {
        public double Megapixels => Width * (double)Height / 1e6;
        public double CpuRatio => StampCpuMs / PlainCpuMs;
        public double MarkBytesRatio => MarkedBytes / (double)UnmarkedBytes;
        public double StampBytesRatio => StampBytes / (double)PlainBytes;
        public double DetectMsPerMp => DetectCpuMs / Megapixels;

        /// <summary>What the encoder spends more on the marked pixels than on the same pixels unmarked.</summary>
        public double EncoderExtraCpuMs => EncodeMarkedCpuMs - EncodeUnmarkedCpuMs;

        /// <summary>The stamp's CPU beyond the plain re-encode, the embed, its self-check and the encoder's extra work: label, XMP, C2PA, copies.</summary>
        public double OtherCpuMs => StampCpuMs - PlainCpuMs - EmbedCpuMs - SelfCheckCpuMs - EncoderExtraCpuMs;

        /// <summary>A lower bound on any stamp/plain that keeps the mark and the honest-stamping rule: the plain re-encode, one
        /// read of the marked pixels (the least check that can refuse a mark that does not read) and what the encoder spends
        /// more on them, with the embed, label, XMP and C2PA taken as free. Raw figures, not clamped, so noise cannot raise it.</summary>
        public double MarkFloor => (PlainCpuMs + SelfCheckCpuMs + EncoderExtraCpuMs) / PlainCpuMs;
    }

    public static int Run(string[] args)
    {
        if (args.Length < 1 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            Console.Error.WriteLine("usage: image-cost CORPUS_DIR [--every K] [--limit N] [--runs R] [--warmup-passes W] [--results FILE] [--report-only]");
            return 2;
        }
        string root = Path.GetFullPath(args[0]);
        int every = 1, limit = int.MaxValue, runs = 3, warmupPasses = 3;
        string? resultsPath = null;
        bool reportOnly = false;
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--report-only") { reportOnly = true; continue; }
            string value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i - 1])
            {
                case "--every": every = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--limit": limit = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--warmup-passes": warmupPasses = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--results": resultsPath = value; break;
                default: throw new ArgumentException($"unknown option {args[i - 1]}");
            }
        }
        if (every < 1 || limit < 1 || runs < 1 || warmupPasses < 1) throw new ArgumentException("--every, --limit, --runs and --warmup-passes must be ≥ 1");
        if (reportOnly && resultsPath is null) throw new ArgumentException("--report-only needs --results FILE");

        VipsRuntime.EnsureInitialised();
        List<CorpusImage> selected = ImageCorpusManifest.Read(root).Where((_, i) => i % every == 0).Take(limit).ToList();
        var rows = new Dictionary<string, Row>(StringComparer.Ordinal);
        if (resultsPath is not null && File.Exists(resultsPath))
            foreach (string line in File.ReadAllLines(resultsPath))
                if (Parse(line) is { } r) rows[r.File] = r;
        List<CorpusImage> todo = reportOnly ? [] : selected.Where(c => !rows.ContainsKey(c.File)).ToList();
        Console.Error.WriteLine($"corpus {root}: {selected.Count} selected (every {every}), {selected.Count - todo.Count} already measured, {todo.Count} to run, {runs} runs each");

        var key = BenchKeys.Corpus;
        var certificates = new CertificateFactory(TimeProvider.System);
        using var authority = certificates.CreateAuthority();
        using var signer = certificates.CreateSigner(authority);
        Stamper stamper = new MediaCatalog().CreateStamper(key, provenance: new C2paProvenanceWriter(new C2paOptions(signer)));
        // JIT, label font cache and libvips start-up out of the figures. One stamp of the first image was not enough: the
        // tiered JIT recompiles a method after 30 calls, on a thread of this process, so the next few images measured
        // carried the recompilation in their process CPU (photo-08-1920x1080.jpg, the second image of `--every 8`:
        // stamp/plain 1.75-1.94 measured second, 1.56-1.58 measured last; bench/WATERMARK.md, sixteenth step). Every path
        // a format and size band takes is warmed instead: the first image of each cell, WarmupPasses times.
        List<CorpusImage> warmup = todo.GroupBy(c => (ImageCorpusManifest.FormatFamily(c.Format), ImageCorpusManifest.BandOf(c.Width, c.Height)))
            .Select(g => g.First()).ToList();
        for (int pass = 0; pass < warmupPasses; pass++)
            foreach (CorpusImage image in warmup) Measure(root, image, stamper, key, 1);

        int done = 0;
        foreach (CorpusImage image in todo)
        {
            Row r = Measure(root, image, stamper, key, runs);
            rows[r.File] = r;
            if (resultsPath is not null) File.AppendAllText(resultsPath, Serialise(r) + "\n");
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{++done}/{todo.Count}] {r.File} {r.Width}x{r.Height}  stamp/plain CPU {r.CpuRatio:F2}  mark bytes {r.MarkBytesRatio:F3}  detect {r.DetectMsPerMp:F1} ms/MP"));
        }
        List<Row> chosen = selected.Where(c => rows.ContainsKey(c.File)).Select(c => rows[c.File]).ToList();
        Console.WriteLine(Report(root, every, runs, chosen));
        return 0;
    }

    private static Row Measure(string root, CorpusImage image, Stamper stamper, MarkKey key, int runs)
    {
        byte[] input = File.ReadAllBytes(Path.Combine(root, image.File));
        MediaFormat format = MediaSniffer.Sniff(input, image.File);
        ImageHeader header = ImageHeader.Read(input, format, image.File);
        var request = new StampRequest("cost-" + Path.GetFileNameWithoutExtension(image.File), Producer, new LabelPolicy());
        double plainMs = double.MaxValue, stampMs = double.MaxValue;
        long plainBytes = 0, stampBytes = 0;
        for (int r = 0; r < runs; r++)
        {
            double t0 = CpuClock.Own();
            using (DecodedImage decoded = ImageCodec.Decode(input, header, image.File))
                plainBytes = ImageCodec.Encode(decoded, header, new ImageEncodeOptions(), image.File).Length;
            plainMs = Math.Min(plainMs, (CpuClock.Own() - t0) * 1e3);
            t0 = CpuClock.Own();
            stampBytes = stamper.StampAsync(input, image.File, request).GetAwaiter().GetResult().Output.Length;
            stampMs = Math.Min(stampMs, (CpuClock.Own() - t0) * 1e3);
        }

        long unmarkedBytes = 0, markedBytes = 0;
        double embedMs = double.MaxValue, checkMs = double.MaxValue, detectMs = double.MaxValue, encodeUnmarkedMs = double.MaxValue, encodeMarkedMs = double.MaxValue;
        MarkPayload payload = MarkPayload.For(MarkId.Compute(key, Producer, request.ContentId), key);
        // As the stamper's watermark holds them: the key's layout and sync spectra, made once per key, not per image.
        var keyMaterial = ImageMarkKeyMaterial.For(key);
        for (int r = 0; r < runs; r++)
        {
            // Two decodes: the encoder takes over a large frame (ImageCodec.Encode), so the marked one is a fresh copy.
            double t0;
            using (DecodedImage unmarked = ImageCodec.Decode(input, header, image.File))
            {
                t0 = CpuClock.Own();
                unmarkedBytes = ImageCodec.Encode(unmarked, header, new ImageEncodeOptions(), image.File).Length;
                encodeUnmarkedMs = Math.Min(encodeUnmarkedMs, (CpuClock.Own() - t0) * 1e3);
            }
            using DecodedImage decoded = ImageCodec.Decode(input, header, image.File);
            PixelBuffer pixels = decoded.Pixels;
            if (Math.Min(pixels.Width, pixels.Height) < ImageMarkDetector.MinimumSide) {
                // Too small to carry the mark: stamp leaves the pixels alone, so there is nothing to cost.
                (embedMs, checkMs, detectMs, encodeMarkedMs, markedBytes) = (0, 0, 0, encodeUnmarkedMs, unmarkedBytes);
                break;
            }
            t0 = CpuClock.Thread();
            ImageMarkEmbedder.Embed(pixels, keyMaterial.Layout, payload);
            double t1 = CpuClock.Thread();
            ImageMarkDetector.ReadsBack(pixels, keyMaterial, payload);
            double t2 = CpuClock.Thread();
            ImageMarkDetector.Read(pixels, key);
            double t3 = CpuClock.Thread();
            (embedMs, checkMs, detectMs) = (Math.Min(embedMs, (t1 - t0) * 1e3), Math.Min(checkMs, (t2 - t1) * 1e3), Math.Min(detectMs, (t3 - t2) * 1e3));
            t0 = CpuClock.Own();
            markedBytes = ImageCodec.Encode(decoded, header, new ImageEncodeOptions(), image.File).Length;
            encodeMarkedMs = Math.Min(encodeMarkedMs, (CpuClock.Own() - t0) * 1e3);
        }
        return new Row(image.File, image.Class, image.Format, image.Width, image.Height, plainMs, stampMs,
            unmarkedBytes, markedBytes, plainBytes, stampBytes, detectMs, embedMs, checkMs, encodeUnmarkedMs, encodeMarkedMs);
    }

    // ------------------------------------------------------------------ results file

    private static string Serialise(Row r) => string.Join('\t', r.File, r.Class, r.Format,
        r.Width.ToString(CultureInfo.InvariantCulture), r.Height.ToString(CultureInfo.InvariantCulture),
        r.PlainCpuMs.ToString("F2", CultureInfo.InvariantCulture), r.StampCpuMs.ToString("F2", CultureInfo.InvariantCulture),
        r.UnmarkedBytes.ToString(CultureInfo.InvariantCulture), r.MarkedBytes.ToString(CultureInfo.InvariantCulture),
        r.PlainBytes.ToString(CultureInfo.InvariantCulture), r.StampBytes.ToString(CultureInfo.InvariantCulture),
        r.DetectCpuMs.ToString("F2", CultureInfo.InvariantCulture), r.EmbedCpuMs.ToString("F2", CultureInfo.InvariantCulture),
        r.SelfCheckCpuMs.ToString("F2", CultureInfo.InvariantCulture), r.EncodeUnmarkedCpuMs.ToString("F2", CultureInfo.InvariantCulture),
        r.EncodeMarkedCpuMs.ToString("F2", CultureInfo.InvariantCulture));

    /// <summary>A results line, or null for a line cut short by an interrupted run (that image runs again).</summary>
    private static Row? Parse(string line)
    {
        string[] f = line.Split('\t');
        if (f.Length != 16) return null;
        var inv = CultureInfo.InvariantCulture;
        return new Row(f[0], f[1], f[2], int.Parse(f[3], inv), int.Parse(f[4], inv), double.Parse(f[5], inv), double.Parse(f[6], inv),
            long.Parse(f[7], inv), long.Parse(f[8], inv), long.Parse(f[9], inv), long.Parse(f[10], inv), double.Parse(f[11], inv), double.Parse(f[12], inv), double.Parse(f[13], inv),
            double.Parse(f[14], inv), double.Parse(f[15], inv));
    }

    // ------------------------------------------------------------------ report

    private static string Report(string root, int every, int runs, List<Row> rows)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"Corpus `{root}`: {rows.Count} images (every {every}); minimum of {runs} runs per figure; load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}").AppendLine();
        if (rows.Count == 0) return sb.ToString();

        sb.AppendLine("By format and size band (short side), worst stamp/plain first. CPU = process CPU, libvips on one thread;")
          .AppendLine("mark bytes = the same pixels encoded after / before the watermark alone; stamp bytes = stamp output / plain re-encode:").AppendLine();
        sb.AppendLine("| format | size band | images | stamp/plain CPU, median | worst | mark bytes, median | worst | stamp bytes, median | detect ms/MP, median | worst |")
          .AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        var cells = rows.GroupBy(r => (Format: ImageCorpusManifest.FormatFamily(r.Format), Band: ImageCorpusManifest.BandOf(r.Width, r.Height)))
            .OrderByDescending(g => g.Max(r => r.CpuRatio));
        foreach (var g in cells)
            sb.AppendLine(inv, $"| {g.Key.Format} | {g.Key.Band} | {g.Count()} | {Stats.Median(g.Select(r => r.CpuRatio)):F2} | {g.Max(r => r.CpuRatio):F2} | {Percent(Stats.Median(g.Select(r => r.MarkBytesRatio)))} | {Percent(g.Max(r => r.MarkBytesRatio))} | {Percent(Stats.Median(g.Select(r => r.StampBytesRatio)))} | {Stats.Median(g.Select(r => r.DetectMsPerMp)):F1} | {g.Max(r => r.DetectMsPerMp):F1} |");
        sb.AppendLine();

        sb.AppendLine("Mark bytes by class and format (median / worst), worst first:").AppendLine();
        string[] formats = rows.Select(r => ImageCorpusManifest.FormatFamily(r.Format)).Distinct().Order(StringComparer.Ordinal).ToArray();
        sb.AppendLine("| class | " + string.Join(" | ", formats) + " |").AppendLine("|---|" + string.Concat(formats.Select(_ => "---:|")));
        foreach (var g in rows.GroupBy(r => r.Class).OrderByDescending(g => g.Max(r => r.MarkBytesRatio)))
            sb.AppendLine(inv, $"| {g.Key} | {string.Join(" | ", formats.Select(f => g.Where(r => ImageCorpusManifest.FormatFamily(r.Format) == f).ToList() is { Count: > 0 } set ? $"{Percent(Stats.Median(set.Select(r => r.MarkBytesRatio)))} / {Percent(set.Max(r => r.MarkBytesRatio))}" : ""))} |");
        sb.AppendLine();

        sb.AppendLine("Where a stamp's CPU goes, by size band (medians, ms): the plain re-encode, the watermark embed and its self-check")
          .AppendLine("(thread CPU, measured alone), what the encoder spends more on marked than on unmarked pixels, and the rest of the")
          .AppendLine("stamp (visible label, XMP, C2PA, copies):").AppendLine();
        sb.AppendLine("| size band | images | MP, median | plain | stamp | embed | self-check | encoder on marked pixels | rest | embed MP/s, median |").AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var bands = rows.GroupBy(r => ImageCorpusManifest.BandOf(r.Width, r.Height)).OrderBy(g => Array.IndexOf(ImageCorpusManifest.Bands, g.Key)).ToList();
        foreach (var g in bands)
            sb.AppendLine(inv, $"| {g.Key} | {g.Count()} | {Stats.Median(g.Select(r => r.Megapixels)):F2} | {Stats.Median(g.Select(r => r.PlainCpuMs)):F1} | {Stats.Median(g.Select(r => r.StampCpuMs)):F1} | {Stats.Median(g.Select(r => r.EmbedCpuMs)):F1} | {Stats.Median(g.Select(r => r.SelfCheckCpuMs)):F1} | {Stats.Median(g.Select(r => r.EncoderExtraCpuMs)):+0.0;-0.0} | {Stats.Median(g.Select(r => r.OtherCpuMs)):F1} | {Stats.Median(g.Select(r => r.Megapixels / r.EmbedCpuMs * 1e3)):F0} |");
        sb.AppendLine();

        sb.AppendLine("The mark's floor under stamp/plain, by size band: (plain + one read of the marked pixels + the encoder's extra work on")
          .AppendLine("them) / plain, per image, with the embed, label, XMP and C2PA taken as free; and how many images' floor alone is over 1.10:").AppendLine();
        sb.AppendLine("| size band | images | floor, median | quartiles | images over 1.10 | stamp/plain, median |").AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var g in bands.Append(rows.GroupBy(_ => "all").Single()))
        {
            double[] floor = g.Select(r => r.MarkFloor).ToArray();
            sb.AppendLine(inv, $"| {g.Key} | {g.Count()} | {Stats.Median(floor):F2} | {Stats.Quantile(floor, 0.25):F2}-{Stats.Quantile(floor, 0.75):F2} | {floor.Count(f => f > 1.10)} | {Stats.Median(g.Select(r => r.CpuRatio)):F2} |");
        }
        sb.AppendLine();

        sb.AppendLine(inv, $"All images: stamp/plain CPU median {Stats.Median(rows.Select(r => r.CpuRatio)):F2}; whole-corpus CPU (sum of stamps / sum of plains) {rows.Sum(r => r.StampCpuMs) / rows.Sum(r => r.PlainCpuMs):F2}; detect median {Stats.Median(rows.Select(r => r.DetectMsPerMp)):F1} ms/MP.").AppendLine();
        sb.AppendLine("Worst 10 by stamp/plain CPU:").AppendLine();
        sb.AppendLine("| image | size | plain CPU | stamp CPU | ratio |").AppendLine("|---|---|---:|---:|---:|");
        foreach (Row r in rows.OrderByDescending(r => r.CpuRatio).Take(10))
            sb.AppendLine(inv, $"| {r.File} | {r.Width}x{r.Height} | {r.PlainCpuMs:F1} ms | {r.StampCpuMs:F1} ms | {r.CpuRatio:F2} |");
        sb.AppendLine();
        sb.AppendLine("Worst 10 by mark bytes:").AppendLine();
        sb.AppendLine("| image | size | unmarked | marked | ratio |").AppendLine("|---|---|---:|---:|---:|");
        foreach (Row r in rows.OrderByDescending(r => r.MarkBytesRatio).Take(10))
            sb.AppendLine(inv, $"| {r.File} | {r.Width}x{r.Height} | {r.UnmarkedBytes:N0} | {r.MarkedBytes:N0} | {Percent(r.MarkBytesRatio)} |");
        return sb.ToString();
    }

    /// <summary>A size ratio as the change in percent (1.043 → "+4.3 %").</summary>
    private static string Percent(double ratio) => (ratio - 1).ToString("+0.0 %;-0.0 %", CultureInfo.InvariantCulture);
}
