using System.Diagnostics;
using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;

namespace LabelStamp.Benchmarks;

/// <summary>Attack × setting → detection rate and mean bit errors over every sample photo.</summary>
public static class RobustnessTable
{
    public static string DefaultSamples()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !Directory.Exists(Path.Combine(dir, "samples-media"))) dir = Path.GetDirectoryName(dir);
        return Path.Combine(dir ?? ".", "samples-media", "images");
    }

    public static int Run(string samples)
    {
        MarkKey key = BenchKeys.Corpus;
        string? onlyImages = Environment.GetEnvironmentVariable("LS_IMAGES");   // e.g. "dune.jpg,storm.jpg"
        var files = Directory.GetFiles(samples).Where(f => f.EndsWith(".jpg") || f.EndsWith(".png"))
            .Where(f => onlyImages is null || onlyImages.Split(',').Contains(Path.GetFileName(f))).Order().ToArray();
        var marked = new List<(string Name, PixelBuffer Img, MarkPayload Payload)>();
        Console.WriteLine($"samples: {samples}");
        foreach (string f in files)
        {
            PixelBuffer img = VipsPixels.Load(f);
            var original = new PixelBuffer((byte[])img.Data.Clone(), img.Width, img.Height, img.Bands);
            var payload = MarkPayload.For(MarkId.Compute(key, "producer", Path.GetFileName(f)), key);
            var sw = Stopwatch.StartNew();
            ImageMarkEmbedder.Embed(img, key, payload);
            double ms = sw.Elapsed.TotalMilliseconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(f),-22} {img.Width}x{img.Height}x{img.Bands} embed {ms,7:F1} ms  PSNR {ImageQuality.Psnr(original, img):F2} dB  SSIM {ImageQuality.Ssim(original, img):F4}"));
            marked.Add((Path.GetFileName(f), img, payload));
        }
        Console.WriteLine();
        Console.WriteLine($"{"attack",-12} {"setting",-16} {"detected",9} {"bit errors",10} {"detect ms/MP",12}  failures");
        int total = 0, ok = 0;
        string? only = Environment.GetEnvironmentVariable("LS_ATTACK");
        foreach (ImageAttack attack in ImageAttackSuite.All())
        {
            if (only is not null && attack.ToString() != only) continue;
            int hits = 0; double errors = 0, msPerMp = 0;
            var failed = new List<string>();
            foreach (var (name, img, payload) in marked)
            {
                PixelBuffer attacked = attack.Apply(img);
                var sw = Stopwatch.StartNew();
                ImageMarkDetection? d = ImageMarkDetector.Detect(attacked, key);
                msPerMp += sw.Elapsed.TotalMilliseconds / (attacked.Width * (double)attacked.Height / 1e6);
                if (d is not null && d.Payload == payload) { hits++; errors += d.BitErrorsCorrected; }
                else failed.Add(name);
            }
            total += marked.Count; ok += hits;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{attack.Name,-12} {attack.Setting,-16} {hits,4}/{marked.Count,-4} {(hits > 0 ? errors / hits : double.NaN),10:F1} {msPerMp / marked.Count,12:F1}  {string.Join(' ', failed)}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"overall {ok}/{total} = {100.0 * ok / total:F1} %"));
        return 0;
    }
}
