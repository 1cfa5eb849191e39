using System.Diagnostics;
using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Pipeline;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `-- stamp-breakdown [file] [runs]`: where stamp's time goes against a plain decode + encode
/// (ImageStampBenchmarks' baseline): minimum per stage over the runs, stamp with and without the
/// watermark layer, and the same encoder on the decoded pixels before and after the mark alone.
/// </summary>
public static class StampBreakdown
{
    public static int Run(string file, int runs)
    {
        byte[] input = File.ReadAllBytes(Samples.Path("images", file));
        var header = ImageHeader.Read(input, MediaSniffer.Sniff(input, file), file);
        var key = MarkKey.FromBytes(new byte[32]);
        var stamper = new MediaCatalog().CreateStamper(key);
        var all = new StampRequest("bench-1", "001191310000000000000000000", new LabelPolicy());
        var noMark = new StampRequest("bench-1", "001191310000000000000000000", new LabelPolicy { Layers = Layers.All & ~Layers.Watermark });

        var plain = new List<double>();
        var stages = new Dictionary<string, List<double>>();
        var encodeUnmarked = new List<double>();
        var encodeMarked = new List<double>();
        int unmarkedBytes = 0, markedBytes = 0;
        var payload = Marks.Payload.MarkPayload.For(new MarkId(0x0123456789abcdef), key);
        for (int r = 0; r < runs + 1; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            using (var decoded = ImageCodec.Decode(input, header, file)) ImageCodec.Encode(decoded, header, new ImageEncodeOptions(), file);
            double plainMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            foreach ((string tag, StampRequest request) in new[] { ("stamp", all), ("stamp-no-mark", noMark) })
            {
                t0 = Stopwatch.GetTimestamp();
                var result = stamper.StampAsync(input, file, request).GetAwaiter().GetResult();
                double total = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                if (r == 0) continue;   // warm-up (label render cache, JIT)
                Add(stages, tag + " total", total);
                foreach ((string stage, double ms) in result.Timings.Stages) Add(stages, tag + " " + stage, ms);
            }
            using (var decoded = ImageCodec.Decode(input, header, file))
            {
                t0 = Stopwatch.GetTimestamp();
                byte[] a = ImageCodec.Encode(decoded, header, new ImageEncodeOptions(), file);
                double ua = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                ImageMarkEmbedder.Embed(decoded.Pixels, key, payload);
                t0 = Stopwatch.GetTimestamp();
                byte[] b = ImageCodec.Encode(decoded, header, new ImageEncodeOptions(), file);
                double mb = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                unmarkedBytes = a.Length; markedBytes = b.Length;
                if (r > 0) { encodeUnmarked.Add(ua); encodeMarked.Add(mb); plain.Add(plainMs); }
            }
        }
        Console.WriteLine($"{file}, {runs} runs, min / median ms");
        Console.WriteLine($"  plain decode+encode      {plain.Min(),8:F1} {Median(plain),8:F1}");
        foreach ((string stage, List<double> v) in stages.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            Console.WriteLine($"  {stage,-24} {v.Min(),8:F1} {Median(v),8:F1}");
        Console.WriteLine($"  encode unmarked pixels   {encodeUnmarked.Min(),8:F1} {Median(encodeUnmarked),8:F1}   {unmarkedBytes:N0} bytes");
        Console.WriteLine($"  encode marked pixels     {encodeMarked.Min(),8:F1} {Median(encodeMarked),8:F1}   {markedBytes:N0} bytes");
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    private static void Add(Dictionary<string, List<double>> d, string k, double v)
    {
        if (!d.TryGetValue(k, out var list)) d[k] = list = [];
        list.Add(v);
    }

    private static double Median(List<double> v)
    {
        var s = v.ToArray();
        Array.Sort(s);
        return s[s.Length / 2];
    }
}
