using System.Diagnostics;
using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Pipeline;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `audio-cost CORPUS_DIR [runs] [min_s] [max_s]`: what a stamp costs next to a plain ffmpeg decode +
/// encode with the same settings (the encoder arguments <see cref="AudioCodecs"/> gives the stamp, the
/// same muxer), for the corpus clips of min_s-max_s seconds (default 10-60). Per clip, plain and stamp
/// alternate <c>runs</c> times (default 3; A/B interleaved so load drifts hit both) and each takes its
/// median; the table gives per format the median plain and stamp times and the median of the per-clip
/// ratios. The stamp is the whole audio labeler (rhythm prompt, mark, AIGC label), as `stamp` runs it.
/// </summary>
public static class AudioCost
{
    public static int Run(string root, int runs, double minSeconds, double maxSeconds)
    {
        var inv = CultureInfo.InvariantCulture;
        var key = MarkKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var tools = new ToolRunner();
        var rows = new List<(string Format, double Plain, double Stamp)>();
        var lines = File.ReadAllLines(Path.Combine(root, "manifest.tsv")).Skip(1).Select(l => l.Split('\t'))
            .Where(f => double.Parse(f[5], inv) is var d && d >= minSeconds && d <= maxSeconds).ToList();
        Console.Error.WriteLine($"{lines.Count} clips of {minSeconds}-{maxSeconds} s, {runs} runs each");
        foreach (var f in lines)
        {
            string file = f[0], path = Path.Combine(root, file), ext = Path.GetExtension(file);
            byte[] bytes = File.ReadAllBytes(path);
            var format = MediaSniffer.Sniff(bytes, file);
            AudioStreamInfo info;
            using (var ws = AudioWorkspace.CreateAsync(bytes, format.Extension, default).GetAwaiter().GetResult())
                info = new AudioProbe(tools).ProbeAsync(ws, format, file, TimeSpan.FromMinutes(1), default).GetAwaiter().GetResult();
            string outPath = Path.Combine(Path.GetTempPath(), "ls-cost-" + Guid.NewGuid().ToString("N") + ext);
            string[] plainArgs = ["-nostdin", "-hide_banner", "-v", "error", "-i", path, "-map", "0:a", .. AudioCodecs.EncoderArguments(info, file),
                "-f", AudioCodecs.Muxer(format), "-y", outPath];
            var plain = new List<double>();
            var stamp = new List<double>();
            for (int r = 0; r <= runs; r++) // run 0 warms caches and the JIT and is not counted
            {
                var sw = Stopwatch.StartNew();
                tools.RunForTextAsync(tools.FfmpegPath, plainArgs, TimeSpan.FromMinutes(2), "plain", file, default).GetAwaiter().GetResult();
                double p = sw.Elapsed.TotalMilliseconds;
                var ctx = new StampContext(file, format, new StampRequest(file, "labelstamp-cost", new LabelPolicy()), key,
                    MarkId.Compute(key, "labelstamp-cost", file), new AigcLabel("1", "labelstamp-cost", file), new MediaLimits(), new StageTimings());
                sw.Restart();
                new AudioLabeler(tools).LabelAsync(bytes, ctx, default).GetAwaiter().GetResult();
                double s = sw.Elapsed.TotalMilliseconds;
                if (r == 0) continue;
                plain.Add(p);
                stamp.Add(s);
            }
            File.Delete(outPath);
            double mp = Stats.Median(plain), ms = Stats.Median(stamp);
            rows.Add((f[4], mp, ms));
            Console.Error.WriteLine(string.Create(inv, $"{file} ({f[5]} s): plain {mp:F0} ms, stamp {ms:F0} ms, ratio {ms / mp:F2}"));
        }
        Console.WriteLine("| format | clips | plain ffmpeg decode+encode, median | stamp (all audio layers), median | stamp/plain, median of clips | worst clip |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var g in rows.GroupBy(r => r.Format).OrderBy(g => g.Key, StringComparer.Ordinal))
            Console.WriteLine(string.Create(inv,
                $"| {g.Key} | {g.Count()} | {Stats.Median(g.Select(r => r.Plain)):F0} ms | {Stats.Median(g.Select(r => r.Stamp)):F0} ms | {Stats.Median(g.Select(r => r.Stamp / r.Plain)):F2} | {g.Max(r => r.Stamp / r.Plain):F2} |"));
        return 0;
    }
}
