using System.Diagnostics;
using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Marks;
using LabelStamp.Marks.Image;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `image-fidelity CORPUS_DIR [--every K] [--match TEXT]`: the mark alone on the development corpus, no
/// attacks, one thread — PSNR, SSIM of the raw colour and SSIM as displayed (over black and over white,
/// the worse), and whether the embed's self-check reads it back. The quick loop for the embedder's
/// fidelity budget; the full table with attacks is `image-corpus`.
/// </summary>
public static class ImageFidelity
{
    public static int Run(string[] args)
    {
        if (args.Length < 1) { Console.Error.WriteLine("usage: image-fidelity CORPUS_DIR [--every K] [--match TEXT]"); return 2; }
        string root = Path.GetFullPath(args[0]);
        int every = 1;
        string match = "";
        for (int i = 1; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--every") every = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            else if (args[i] == "--match") match = args[i + 1];
            else throw new ArgumentException($"unknown option {args[i]}");
        }
        VipsRuntime.EnsureInitialised();
        MarkKey key = BenchKeys.Corpus;
        var files = File.ReadAllLines(Path.Combine(root, "manifest.csv")).Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',')[0]).Where((_, i) => i % every == 0).Where(f => f.Contains(match, StringComparison.Ordinal)).ToList();
        var rows = new List<(string File, double Psnr, double Raw, double Shown, bool Read)>();
        foreach (string file in files)
        {
            byte[] input = File.ReadAllBytes(Path.Combine(root, file));
            MediaFormat format = MediaSniffer.Sniff(input, file);
            ImageHeader header = ImageHeader.Read(input, format, file);
            using DecodedImage decoded = ImageCodec.Decode(input, header, file);
            PixelBuffer p = decoded.Pixels;
            var original = new PixelBuffer((byte[])p.Data.Clone(), p.Width, p.Height, p.Bands);
            var sw = Stopwatch.StartNew();
            MarkEmbedding e = new ImageWatermark().Embed(p, key, MarkId.Compute(key, "labelstamp-corpus", file));
            double ms = sw.Elapsed.TotalMilliseconds;
            var r = (file, ImageQuality.Psnr(original, p), ImageQuality.Ssim(original, p), ImageQuality.SsimDisplayed(original, p), e.Readable);
            rows.Add(r);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{file}\t{p.Width}x{p.Height}x{p.Bands}\tPSNR {r.Item2:F2}\tSSIM raw {r.Item3:F4}\tdisplayed {r.Item4:F4}\t{(r.Item5 ? "reads back" : "NOT READ")}\t{ms:F1} ms (embed + self-check)"));
        }
        if (rows.Count == 0) return 1;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{rows.Count} images: PSNR min {rows.Min(r => r.Psnr):F2} dB ({rows.Count(r => r.Psnr < 40)} below 40); SSIM displayed min {rows.Min(r => r.Shown):F4} ({rows.Count(r => r.Shown < 0.98)} below 0.98); SSIM raw min {rows.Min(r => r.Raw):F4} ({rows.Count(r => r.Raw < 0.98)} below 0.98); self-check reads back {rows.Count(r => r.Read)}/{rows.Count}"));
        return 0;
    }
}
