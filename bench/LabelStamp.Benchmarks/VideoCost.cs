using System.Diagnostics;
using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Marks.Video;
using LabelStamp.Media;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;
using LabelStamp.Robustness.Video;
using LabelStamp.Verification;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project bench/LabelStamp.Benchmarks -- video-cost [clip] [runs] [variants] [heights]`:
/// where a stamp's CPU goes, by mark amplitude. For each height it alternates a plain
/// transcode with stamps at each variant ("A": the video mark's amplitude; "0" = no watermark layer) and reports medians of wall time, our own CPU,
/// the ffmpeg/ffprobe children's CPU and the output size; then, per variant, the bits corrected after
/// every video attack under two keys, read from the frames only ("miss" = the frames gave no mark). bench/VIDEO.md, "mark cost", rests on it.
/// </summary>
public static class VideoCost
{
    public static int Run(string sample, int runs, string[] variants, int[] heights)
    {
        var tools = new Media.Ffmpeg.ToolRunner();
        string dir = Path.Combine(Path.GetTempPath(), "ls-video-cost-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            Console.WriteLine($"runs per cell: {runs}, alternating; {Environment.ProcessorCount} cores; strength 0 = watermark layer off");
            Console.WriteLine();
            Console.WriteLine("| input | variant | wall (median) | own CPU-s | children CPU-s | total CPU-s | CPU / plain | output bytes |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
            var labeledFiles = new List<(int Height, string Variant, int Key, string Path, MarkId Id)>();
            foreach (int height in heights)
            {
                int width = height * 16 / 9 / 2 * 2;
                string input = Path.Combine(dir, $"in-{height}.mp4");
                FfmpegCommand.Run("-i", sample, "-vf", $"scale={width}:{height}:flags=bicubic", "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-c:a", "copy", input);
                byte[] bytes = File.ReadAllBytes(input);
                var probeOptions = new VideoLabelOptions();
                int crf = ProbeCrf(bytes, tools);
                var cells = new Dictionary<string, List<(double Wall, double Own, double Children, long Bytes)>>();
                void Add(string k, (double, double, double, long) v)
                {
                    if (!cells.TryGetValue(k, out var l)) cells[k] = l = [];
                    l.Add(v);
                }
                for (int r = 0; r < runs; r++)
                {
                    Add("plain", Measure(() =>
                    {
                        string o = Path.Combine(dir, "plain.mp4");
                        FfmpegCommand.Run("-i", input, "-map", "0:v:0", "-map", "0:a:0", "-c:v", "libx264", "-preset", probeOptions.X264Preset, "-crf", crf.ToString(CultureInfo.InvariantCulture),
                            "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", o);
                        return new FileInfo(o).Length;
                    }));
                    foreach (string variant in variants)
                    {
                        var (s, options) = Parse(variant);
                        var labeler = new VideoLabeler(options: options);
                        var key = Key(1);
                        var ctx = Context(key, $"cost-{height}", s > 0);
                        byte[]? output = null;
                        Add(Name(variant), Measure(() => (output = labeler.LabelAsync(bytes, ctx, default).GetAwaiter().GetResult().Output).Length));
                        if (r == 0 && s > 0)
                        {
                            string p = Path.Combine(dir, $"l-{height}-{labeledFiles.Count}-1.mp4");
                            File.WriteAllBytes(p, output!);
                            labeledFiles.Add((height, variant, 1, p, ctx.MarkId));
                            var key2 = Key(2);
                            var ctx2 = Context(key2, $"cost2-{height}", true);
                            string p2 = Path.Combine(dir, $"l-{height}-{labeledFiles.Count}-2.mp4");
                            File.WriteAllBytes(p2, labeler.LabelAsync(bytes, ctx2, default).GetAwaiter().GetResult().Output);
                            labeledFiles.Add((height, variant, 2, p2, ctx2.MarkId));
                        }
                    }
                }
                double plainCpu = Stats.Median(cells["plain"].Select(c => c.Own + c.Children));
                foreach (var (k, l) in cells)
                {
                    double own = Stats.Median(l.Select(c => c.Own)), ch = Stats.Median(l.Select(c => c.Children)), tot = Stats.Median(l.Select(c => c.Own + c.Children));
                    Console.WriteLine($"| {width}×{height} | {k} | {Stats.Median(l.Select(c => c.Wall)):0} ms | {own:0.00} | {ch:0.00} | {tot:0.00} | {tot / plainCpu:0.00} | {Stats.Median(l.Select(c => (double)c.Bytes)):0} |");
                }
            }

            Console.WriteLine();
            Console.WriteLine("| input | strength/flat gain | " + string.Join(" | ", VideoAttackSuite.All.Select(a => a.Name)) + " |");
            Console.WriteLine("|---|---:|" + string.Concat(VideoAttackSuite.All.Select(_ => "---|")));
            var verifier = new MediaCatalog().CreateVerifier();
            foreach (var g in labeledFiles.GroupBy(f => (f.Height, f.Variant)))
            {
                var row = new List<string>();
                foreach (var attack in VideoAttackSuite.All)
                {
                    var parts = new List<string>();
                    foreach (var f in g)
                    {
                        string attacked = Path.Combine(dir, "attacked.mp4");
                        attack.ApplyAsync(f.Path, attacked, 6.0, tools, default).GetAwaiter().GetResult();
                        var report = verifier.VerifyAsync(File.ReadAllBytes(attacked), "attacked.mp4", new VerifyOptions { Key = Key(f.Key) }).GetAwaiter().GetResult();
                        parts.Add(VideoMarkReading.FramesCell(report, f.Id));
                    }
                    row.Add(string.Join("/", parts));
                }
                Console.WriteLine($"| {g.Key.Height}p | {g.Key.Variant} | " + string.Join(" | ", row) + " |");
            }
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Name(string variant) => variant == "0" ? "stamp, no mark" : "stamp, " + variant;

    /// <summary>"A": the mark's amplitude in luma levels (0 = no watermark layer).</summary>
    private static (double Strength, VideoLabelOptions Options) Parse(string variant)
    {
        string[] parts = variant.Split('/');
        double s = double.Parse(parts[0], CultureInfo.InvariantCulture);
        var options = new VideoLabelOptions { MarkVersion = VideoMarkVersion.Static }; // the amplitude variants are the static mark's
        if (s > 0) options = options with { MarkAmplitude = s };
        return (s, options);
    }

    private static MarkKey Key(int k) => BenchKeys.Sequential(k);

    private static StampContext Context(MarkKey key, string contentId, bool watermark)
    {
        var policy = new LabelPolicy();
        if (!watermark) policy = policy with { Layers = policy.Layers & ~Layers.Watermark };
        return new("cost.mp4", MediaFormat.Mp4, new StampRequest(contentId, "producer", policy), key, MarkId.Compute(key, "producer", contentId),
            new AigcLabel("1", "producer", contentId), new MediaLimits(), new StageTimings());
    }

    /// <summary>Wall time, this process's CPU and its children's CPU (ms) around one run, and the bytes it produced.</summary>
    internal static (double Wall, double Own, double Children, long Bytes) Measure(Func<long> run)
    {
        double own0 = CpuClock.Own(), ch0 = CpuClock.Children();
        var sw = Stopwatch.StartNew();
        long bytes = run();
        return (sw.Elapsed.TotalMilliseconds, CpuClock.Own() - own0, CpuClock.Children() - ch0, bytes);
    }

    private static int ProbeCrf(byte[] bytes, Media.Ffmpeg.ToolRunner tools)
    {
        using var ws = Media.Ffmpeg.MediaWorkspace.CreateAsync(bytes, ".mp4", default).GetAwaiter().GetResult();
        var info = new VideoProbe(tools).ProbeAsync(ws, MediaFormat.Mp4, bytes, "cost", new MediaLimits(), default).GetAwaiter().GetResult();
        return VideoCodecs.EstimateCrf(info.BitsPerPixel);
    }
}
