using System.Globalization;
using System.Text;
using LabelStamp.Explicit;
using LabelStamp.Labels;
using LabelStamp.Marks;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Pipeline;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `file-check-margin CORPUS_DIR [--every K] [--files F1,F2…] [--jpeg Q,Q…] [--webp Q,Q…] [--no-cross] [--sweep-max-pixels N]
/// [--results FILE] [--report-only]`: where the stamp's check of its own lossy file can fail. Every selected corpus image is
/// labeled and marked as <see cref="ImageLabeler"/> does it (the default policy's visible label, then the mark under
/// image-cost's key and mark ID), and the pixels' self-check is run with its margin (<see cref="ImageMarkDetector.SelfCheck"/>:
/// answer, sync statistic at the decoded peak, raw bit errors). The same frame is then encoded, decoded again
/// (<see cref="ImageCodec.DecodeWritten"/>, the stamp's own check decode) and checked again:
/// <list type="bullet">
/// <item>in its own format at the stamp's matched quality, when that output is lossy (JPEG, lossy WebP): the product's check;</item>
/// <item>in its own lossy format at each forced quality of --jpeg / --webp (defaults 90,80,70,60,50,40);</item>
/// <item>unless --no-cross, a frame whose own output is not that format at those qualities too (a PNG frame as JPEG 4:2:0
/// and lossy WebP; frames with alpha as lossy WebP only): more frames behind each band × quality cell.</item>
/// </list>
/// Forced and cross encodes run on images up to --sweep-max-pixels (default the stamp's 4 MP file-check limit); larger ones
/// get the pixels' check and the matched output only. One results line per (image, output); --results appends and skips
/// images already there (resumable).
/// </summary>
public static class FileCheckMargin
{
    /// <summary>image-cost's producer and content IDs, so the marks measured here are the ones its stamps embed.</summary>
    private const string Producer = "001191310000000000000000000";

    private static readonly int[] DefaultQualities = [90, 80, 70, 60, 50, 40];

    /// <summary>One output of one image: the pixels' self-check and the file check at that output.</summary>
    internal sealed record Row(string File, string Class, string InputFormat, int Width, int Height, bool PixelsRead, double PixelsStatistic,
        int PixelsErrors, string Output, string Kind, int Quality, long Bytes, bool FileReads, double FileStatistic, int FileErrors)
    {
        public string Band => ImageCorpusManifest.BandOf(Width, Height);
    }

    public static int Run(string[] args)
    {
        if (args.Length < 1 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            Console.Error.WriteLine("usage: file-check-margin CORPUS_DIR [--every K] [--files F1,F2…] [--jpeg Q,…] [--webp Q,…] [--no-cross] [--sweep-max-pixels N] [--results FILE] [--report-only]");
            return 2;
        }
        string root = Path.GetFullPath(args[0]);
        int every = 1;
        long sweepMaxPixels = MarkCheckedEncode.MaxCheckedPixels;
        int[] jpegQualities = DefaultQualities, webpQualities = DefaultQualities;
        bool cross = true, reportOnly = false;
        string? resultsPath = null;
        HashSet<string>? files = null;
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--no-cross") { cross = false; continue; }
            if (args[i] == "--report-only") { reportOnly = true; continue; }
            string value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i - 1])
            {
                case "--every": every = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--files": files = new HashSet<string>(value.Split(',', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal); break;
                case "--jpeg": jpegQualities = Qualities(value); break;
                case "--webp": webpQualities = Qualities(value); break;
                case "--sweep-max-pixels": sweepMaxPixels = long.Parse(value, CultureInfo.InvariantCulture); break;
                case "--results": resultsPath = value; break;
                default: throw new ArgumentException($"unknown option {args[i - 1]}");
            }
        }
        if (every < 1) throw new ArgumentException("--every must be ≥ 1");
        if (reportOnly && resultsPath is null) throw new ArgumentException("--report-only needs --results FILE");

        VipsRuntime.EnsureInitialised();
        List<CorpusImage> selected = ImageCorpusManifest.Read(root).Where((c, i) => i % every == 0 && (files is null || files.Contains(c.File))).ToList();
        var rows = new List<Row>();
        var measured = new HashSet<string>(StringComparer.Ordinal);
        if (resultsPath is not null && File.Exists(resultsPath))
            foreach (string line in File.ReadAllLines(resultsPath))
                if (Parse(line) is { } r) { rows.Add(r); measured.Add(r.File); }
        List<CorpusImage> todo = reportOnly ? [] : selected.Where(c => !measured.Contains(c.File)).ToList();
        Console.Error.WriteLine($"corpus {root}: {selected.Count} selected, {selected.Count - todo.Count} already measured, {todo.Count} to run");

        var key = BenchKeys.Corpus;
        var keyMaterial = ImageMarkKeyMaterial.For(key);
        var renderer = new LabelRenderer();
        int done = 0;
        foreach (CorpusImage image in todo)
        {
            List<Row> imageRows = Measure(root, image, key, keyMaterial, renderer, jpegQualities, webpQualities, cross, sweepMaxPixels);
            rows.AddRange(imageRows);
            if (resultsPath is not null) File.AppendAllText(resultsPath, string.Concat(imageRows.Select(r => Serialise(r) + "\n")));
            int fails = imageRows.Count(r => !r.FileReads);
            Row first = imageRows[0];
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{++done}/{todo.Count}] {image.File} pixels {(first.PixelsRead ? "read" : "LOST")} z {first.PixelsStatistic:F1} errors {first.PixelsErrors}; {imageRows.Count} outputs, {fails} lost in the file"));
        }
        var chosen = new HashSet<string>(selected.Select(c => c.File), StringComparer.Ordinal);
        Console.WriteLine(Report(root, rows.Where(r => chosen.Contains(r.File)).ToList()));
        return 0;
    }

    private static int[] Qualities(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    private static List<Row> Measure(string root, CorpusImage image, MarkKey key, ImageMarkKeyMaterial keyMaterial, LabelRenderer renderer,
        int[] jpegQualities, int[] webpQualities, bool cross, long sweepMaxPixels)
    {
        byte[] input = File.ReadAllBytes(Path.Combine(root, image.File));
        MediaFormat format = MediaSniffer.Sniff(input, image.File);
        ImageHeader header = ImageHeader.Read(input, format, image.File);
        string contentId = "cost-" + Path.GetFileNameWithoutExtension(image.File);
        MarkPayload payload = MarkPayload.For(MarkId.Compute(key, Producer, contentId), key);
        var options = new ImageEncodeOptions();
        var rows = new List<Row>();
        using DecodedImage decoded = ImageCodec.Decode(input, header, image.File);
        PixelBuffer pixels = decoded.Pixels;
        // The product's frame: the default policy's visible label first, then the mark (ImageLabeler.Draw).
        var policy = new LabelPolicy();
        int textHeight = LabelGeometry.TextHeight(pixels.Width, pixels.Height, policy);
        var overlay = renderer.Render(policy.Wording, policy.Font, textHeight, policy.PlateOpacity);
        LabelCompositor.Apply(pixels, overlay, policy.Corner, LabelGeometry.Inset(pixels.Width, pixels.Height, policy), image.File);
        if (Math.Min(pixels.Width, pixels.Height) < ImageMarkDetector.MinimumSide) return rows;
        ImageMarkEmbedder.Embed(pixels, keyMaterial.Layout, payload);
        MarkMargin own = ImageMarkDetector.SelfCheck(pixels, keyMaterial, payload);

        var outputs = new List<(string Output, string Kind, int Quality, ImageHeader Header, ImageEncodeOptions Options)>();
        var module = MediaCatalog.ImageModuleFor(format);
        bool ownLossy = module is not null && module.EncodesLossily(header);
        if (ownLossy && module!.LossyQuality(header, options) is int matched)
            outputs.Add((OutputName(header), "matched", matched, header, options));
        else outputs.Add((OutputName(header), "lossless", 0, header, options));
        bool sweep = image.Pixels <= sweepMaxPixels && !options.IsLarge(image.Width, image.Height);
        if (sweep)
        {
            bool ownJpeg = format == MediaFormat.Jpeg, ownWebp = format == MediaFormat.WebP && !header.WebpLossless;
            var jpegHeader = ownJpeg ? header : new ImageHeader(MediaFormat.Jpeg, header.Width, header.Height) { JpegChroma420 = true };
            var webpHeader = ownWebp ? header : new ImageHeader(MediaFormat.WebP, header.Width, header.Height) { WebpLossless = false };
            // A frame with alpha has no JPEG of its own: JPEG would flatten it over a background the stamp never chooses.
            if (ownJpeg || (cross && !pixels.HasAlpha && !ownWebp))
                foreach (int q in jpegQualities) outputs.Add(("JPEG", ownJpeg ? "forced" : "cross", q, jpegHeader with { JpegQuality = q }, options));
            if (ownWebp || (cross && !ownJpeg))
                foreach (int q in webpQualities) outputs.Add(("WebP lossy", ownWebp ? "forced" : "cross", q, webpHeader, options with { WebpQuality = q }));
        }

        foreach (var (output, kind, quality, h, o) in outputs)
        {
            if (kind == "lossless")
            {
                // A lossless output holds the pixels checked above: the pixels' answer is the file's.
                rows.Add(new Row(image.File, image.Class, image.Format, image.Width, image.Height, own.Reads, own.SyncStatistic, own.BitErrors ?? -1,
                    output, kind, 0, 0, own.Reads, own.SyncStatistic, own.BitErrors ?? -1));
                continue;
            }
            byte[] file = ImageCodec.Encode(decoded, h, o, image.File);
            MarkMargin fromFile = ImageMarkDetector.SelfCheck(ImageCodec.DecodeWritten(file, h, decoded.Orientation, image.File), keyMaterial, payload);
            rows.Add(new Row(image.File, image.Class, image.Format, image.Width, image.Height, own.Reads, own.SyncStatistic, own.BitErrors ?? -1,
                output, kind, quality, file.Length, fromFile.Reads, fromFile.SyncStatistic, fromFile.BitErrors ?? -1));
        }
        return rows;
    }

    private static string OutputName(ImageHeader header) =>
        header.Format == MediaFormat.Jpeg ? "JPEG"
        : header.Format == MediaFormat.WebP ? (header.WebpLossless ? "WebP lossless" : "WebP lossy")
        : header.Format == MediaFormat.Png ? "PNG"
        : header.Format.ToString() ?? "?";

    // ------------------------------------------------------------------ results file

    private static string Serialise(Row r) => string.Join('\t', r.File, r.Class, r.InputFormat,
        r.Width.ToString(CultureInfo.InvariantCulture), r.Height.ToString(CultureInfo.InvariantCulture),
        r.PixelsRead ? "1" : "0", r.PixelsStatistic.ToString("F3", CultureInfo.InvariantCulture), r.PixelsErrors.ToString(CultureInfo.InvariantCulture),
        r.Output, r.Kind, r.Quality.ToString(CultureInfo.InvariantCulture), r.Bytes.ToString(CultureInfo.InvariantCulture),
        r.FileReads ? "1" : "0", r.FileStatistic.ToString("F3", CultureInfo.InvariantCulture), r.FileErrors.ToString(CultureInfo.InvariantCulture));

    /// <summary>A results line, or null for a line cut short by an interrupted run.</summary>
    internal static Row? Parse(string line)
    {
        string[] f = line.Split('\t');
        if (f.Length != 15) return null;
        var inv = CultureInfo.InvariantCulture;
        return new Row(f[0], f[1], f[2], int.Parse(f[3], inv), int.Parse(f[4], inv), f[5] == "1", double.Parse(f[6], inv), int.Parse(f[7], inv),
            f[8], f[9], int.Parse(f[10], inv), long.Parse(f[11], inv), f[12] == "1", double.Parse(f[13], inv), int.Parse(f[14], inv));
    }

    // ------------------------------------------------------------------ report

    /// <summary>Per band × output format × quality (the matched quality as its own column): outputs, files that lost the mark,
    /// and the weakest pixels' margin among the files that read and among those that did not. Lost files first.</summary>
    private static string Report(string root, List<Row> rows)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        int images = rows.Select(r => r.File).Distinct().Count();
        sb.AppendLine(inv, $"file-check-margin over {root}: {images} images, {rows.Count} outputs");
        sb.AppendLine();
        var lost = rows.Where(r => r.PixelsRead && !r.FileReads && r.Kind != "lossless").OrderByDescending(r => r.Quality).ThenByDescending(r => r.PixelsStatistic).ToList();
        sb.AppendLine(inv, $"Files that lost a mark their pixels read ({lost.Count}), highest quality first:");
        sb.AppendLine("| image | output | kind | q | pixels z | pixels errors | file z | file errors |");
        sb.AppendLine("|---|---|---|---:|---:|---:|---:|---:|");
        foreach (Row r in lost.Take(60))
            sb.AppendLine(inv, $"| {r.File} | {r.Output} | {r.Kind} | {r.Quality} | {r.PixelsStatistic:F2} | {r.PixelsErrors} | {r.FileStatistic:F2} | {r.FileErrors} |");
        sb.AppendLine();
        int pixelsLost = rows.Where(r => !r.PixelsRead).Select(r => r.File).Distinct().Count();
        sb.AppendLine(inv, $"Images whose pixels' self-check did not read: {pixelsLost}");
        sb.AppendLine();
        sb.AppendLine("| band | output | q | outputs | lost in file | min pixels z (read) | max pixels errors (read) | min pixels z (lost) | max pixels errors (lost) |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var g in rows.Where(r => r.PixelsRead && r.Kind != "lossless")
                     .GroupBy(r => (r.Band, r.Output, Q: r.Kind == "matched" ? "matched" : r.Quality.ToString(inv)))
                     .OrderBy(g => Array.IndexOf(ImageCorpusManifest.Bands, g.Key.Band)).ThenBy(g => g.Key.Output, StringComparer.Ordinal)
                     .ThenBy(g => g.Key.Q == "matched" ? -1 : -int.Parse(g.Key.Q, inv)))
        {
            var read = g.Where(r => r.FileReads).ToList();
            var gone = g.Where(r => !r.FileReads).ToList();
            string Z(List<Row> l) => l.Count == 0 ? "-" : l.Min(r => r.PixelsStatistic).ToString("F2", inv);
            string E(List<Row> l) => l.Count == 0 ? "-" : l.Max(r => r.PixelsErrors).ToString(inv);
            sb.AppendLine(inv, $"| {g.Key.Band} | {g.Key.Output} | {g.Key.Q} | {g.Count()} | {gone.Count} | {Z(read)} | {E(read)} | {Z(gone)} | {E(gone)} |");
        }
        return sb.ToString();
    }
}
