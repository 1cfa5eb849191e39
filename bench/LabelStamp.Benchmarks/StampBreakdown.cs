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
            // Two decodes: the encoder takes over a large frame (ImageCodec.Encode), so the marked one is a fresh copy.
            byte[] a;
            double ua;
            using (var unmarked = ImageCodec.Decode(input, header, file))
            {
                t0 = Stopwatch.GetTimestamp();
                a = ImageCodec.Encode(unmarked, header, new ImageEncodeOptions(), file);
                ua = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
            using (var decoded = ImageCodec.Decode(input, header, file))
            {
                ImageMarkEmbedder.Embed(decoded.Pixels, key, payload);
                t0 = Stopwatch.GetTimestamp();
                byte[] b = ImageCodec.Encode(decoded, header, new ImageEncodeOptions(), file);
                double mb = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                unmarkedBytes = a.Length; markedBytes = b.Length;
                if (r > 0) { encodeUnmarked.Add(ua); encodeMarked.Add(mb); plain.Add(plainMs); }
            }
        }
        Console.WriteLine($"{file}, {runs} runs, min / median ms");
        Console.WriteLine($"  plain decode+encode      {plain.Min(),8:F1} {Stats.Median(plain),8:F1}");
        foreach ((string stage, List<double> v) in stages.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            Console.WriteLine($"  {stage,-24} {v.Min(),8:F1} {Stats.Median(v),8:F1}");
        Console.WriteLine($"  encode unmarked pixels   {encodeUnmarked.Min(),8:F1} {Stats.Median(encodeUnmarked),8:F1}   {unmarkedBytes:N0} bytes");
        Console.WriteLine($"  encode marked pixels     {encodeMarked.Min(),8:F1} {Stats.Median(encodeMarked),8:F1}   {markedBytes:N0} bytes");
        if (header.Format.Name == "png") PngFilterExperiment(input, header, file, key, payload, runs);
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    /// <summary>The same pixels through libvips' PNG writer directly: default row filter (what
    /// ImageCodec uses) against adaptive filtering, unmarked and marked, to see how much of the
    /// marked image's extra encode time is deflate meeting higher-entropy rows.</summary>
    private static void PngFilterExperiment(byte[] input, ImageHeader header, string file, MarkKey key,
        Marks.Payload.MarkPayload payload, int runs)
    {
        using var decoded = ImageCodec.Decode(input, header, file);
        var px = decoded.Pixels;
        byte[] unmarked = (byte[])px.Data.Clone();
        ImageMarkEmbedder.Embed(px, key, payload);
        foreach ((string label, byte[] data) in new[] { ("unmarked", unmarked), ("marked", px.Data) })
            foreach (NetVips.Enums.ForeignPngFilter? filter in new NetVips.Enums.ForeignPngFilter?[] { null, NetVips.Enums.ForeignPngFilter.None, NetVips.Enums.ForeignPngFilter.Sub, NetVips.Enums.ForeignPngFilter.Up, NetVips.Enums.ForeignPngFilter.Paeth, NetVips.Enums.ForeignPngFilter.All })
            {
                using var image = NetVips.Image.NewFromMemory(data, px.Width, px.Height, px.Bands, NetVips.Enums.BandFormat.Uchar);
                var ms = new List<double>();
                int bytes = 0;
                for (int r = 0; r < Math.Max(3, runs / 2); r++)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    bytes = (filter is null ? image.PngsaveBuffer(compression: 6) : image.PngsaveBuffer(compression: 6, filter: filter)).Length;
                    ms.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                }
                Console.WriteLine($"  pngsave {label,-8} filter {(filter?.ToString() ?? "default"),-7} {ms.Min(),8:F1} {Stats.Median(ms),8:F1}   {bytes:N0} bytes");
            }
    }

    private static void Add(Dictionary<string, List<double>> d, string k, double v)
    {
        if (!d.TryGetValue(k, out var list)) d[k] = list = [];
        list.Add(v);
    }

}
