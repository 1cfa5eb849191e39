using System.Diagnostics;
using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;
using LabelStamp.Robustness.Video;
using LabelStamp.Verification;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project bench/LabelStamp.Benchmarks -- video-figures [samples-media/video/pan-zoom.mp4] [runs]`:
/// the bench/VIDEO.md tables. For 720p and 1080p versions of the sample (made here, not stored) it
/// times `stamp` (every layer but C2PA, audio track included) against a plain ffmpeg transcode with the
/// same encoder settings (the CRF and preset stamp chose, AAC at the audio path's bitrate), alternating
/// the two, and reports medians, frames per second and the ratio; then the robustness table.
/// </summary>
public static class VideoFigures
{
    public static int Run(string sample, int runs)
    {
        var key = MarkKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var options = new VideoLabelOptions();
        var labeler = new VideoLabeler(options: options);
        var tools = new ToolRunner();
        string dir = Path.Combine(Path.GetTempPath(), "ls-video-fig-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            Console.WriteLine($"runs per cell: {runs} (alternating plain/stamp); x264 preset {options.X264Preset}; {Environment.ProcessorCount} cores");
            Console.WriteLine();
            Console.WriteLine("| input | frames | CRF chosen | plain ffmpeg transcode (median) | stamp (median) | stamp fps | stamp / plain | plain CPU-s | stamp CPU-s | CPU stamp / plain | stamp stages (last run) |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            var labeled = new Dictionary<int, string>();
            foreach (int height in new[] { 720, 1080 })
            {
                int width = height * 16 / 9;
                string input = Path.Combine(dir, $"in-{height}.mp4");
                FfmpegCommand.Run("-i", sample, "-vf", $"scale={width}:{height}:flags=bicubic", "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-c:a", "copy", input);
                byte[] bytes = File.ReadAllBytes(input);
                var info = ProbeInfo(input, tools);
                int crf = VideoCodecs.EstimateCrf(info.BitsPerPixel);
                var plain = new List<double>();
                var stamp = new List<double>();
                var plainCpu = new List<double>();
                var stampCpu = new List<double>();
                StageTimings? last = null;
                byte[]? output = null;
                for (int r = 0; r < runs; r++)
                {
                    double c0 = CpuClock.Now();
                    var sw = Stopwatch.StartNew();
                    FfmpegCommand.Run("-i", input, "-map", "0:v:0", "-map", "0:a:0", "-c:v", "libx264", "-preset", options.X264Preset, "-crf", crf.ToString(CultureInfo.InvariantCulture),
                        "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", Path.Combine(dir, "plain.mp4"));
                    plain.Add(sw.Elapsed.TotalMilliseconds);
                    plainCpu.Add(CpuClock.Now() - c0);
                    var ctx = Context(key, $"fig-{height}", MediaFormat.Mp4);
                    c0 = CpuClock.Now();
                    sw.Restart();
                    output = labeler.LabelAsync(bytes, ctx, default).GetAwaiter().GetResult().Output;
                    stamp.Add(sw.Elapsed.TotalMilliseconds);
                    stampCpu.Add(CpuClock.Now() - c0);
                    last = ctx.Timings;
                }
                string outPath = Path.Combine(dir, $"labeled-{height}.mp4");
                File.WriteAllBytes(outPath, output!);
                labeled[height] = outPath;
                double p = Stats.Median(plain), s = Stats.Median(stamp), pc = Stats.Median(plainCpu), sc = Stats.Median(stampCpu);
                Console.WriteLine($"| {width}×{height}, {info.Duration.TotalSeconds:0} s | {info.Frames} | {crf} | {p:0} ms | {s:0} ms | {info.Frames / (s / 1000):0.0} | {s / p:0.00} | {pc:0.00} | {sc:0.00} | {sc / pc:0.00} | {last} |");
                Console.WriteLine($"<!-- {width}x{height} wall plain [{string.Join(", ", plain.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))}] stamp [{string.Join(", ", stamp.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))}] cpu plain [{string.Join(", ", plainCpu.Select(v => v.ToString("0.00", CultureInfo.InvariantCulture)))}] stamp [{string.Join(", ", stampCpu.Select(v => v.ToString("0.00", CultureInfo.InvariantCulture)))}] -->");
            }

            // Per-frame processing alone (labels + mark), one thread, to show what the pipeline hides.
            Console.WriteLine();
            Console.WriteLine("| frame | label blend (µs/frame) | mark (ms/frame) |");
            Console.WriteLine("|---|---:|---:|");
            foreach (int height in new[] { 720, 1080 })
            {
                int width = height * 16 / 9;
                byte[] frame = new byte[width * height * 3 / 2];
                new Random(1).NextBytes(frame);
                var overlay = new Explicit.LabelRenderer().Render(LabelWording.Default, new LabelPolicy().Font, (int)Math.Ceiling(height * 0.055), 0.6);
                var label = new PlanarLabel(overlay, width - overlay.Width - 20, height - overlay.Height - 20, width, height, false);
                var mark = new Marks.Video.VideoMarkEmbedder(key, Marks.Payload.MarkPayload.For(new MarkId(1), key), width, height, options.MarkAmplitude);
                for (int i = 0; i < 3; i++) { label.Apply(frame); mark.Embed(frame); }
                var sw = Stopwatch.StartNew();
                for (int i = 0; i < 200; i++) label.Apply(frame);
                double blend = sw.Elapsed.TotalMilliseconds * 1000 / 200;
                sw.Restart();
                for (int i = 0; i < 20; i++) mark.Embed(frame);
                double markMs = sw.Elapsed.TotalMilliseconds / 20;
                Console.WriteLine($"| {width}×{height} | {blend:0} | {markMs:0.00} |");
            }

            Console.WriteLine();
            Console.WriteLine("| attack | 1080p stamp (6 s) | 720p stamp (6 s) |");
            Console.WriteLine("|---|---|---|");
            var verifier = new MediaCatalog().CreateVerifier();
            foreach (var attack in VideoAttackSuite.All)
            {
                var cells = new List<string>();
                foreach (int height in new[] { 1080, 720 })
                {
                    string attacked = Path.Combine(dir, $"attacked-{height}.mp4");
                    attack.ApplyAsync(labeled[height], attacked, 6.0, tools, default).GetAwaiter().GetResult();
                    var report = verifier.VerifyAsync(File.ReadAllBytes(attacked), "attacked.mp4", new VerifyOptions { Key = key }).GetAwaiter().GetResult();
                    var expected = MarkId.Compute(key, "producer", $"fig-{height}");
                    string cell = VideoMarkReading.FramesCell(report, expected);
                    cells.Add(cell == "miss" ? "not detected in the frames" : cell == "WRONG" ? "WRONG ID" : $"detected ({cell} bits corrected)");
                }
                Console.WriteLine($"| {attack.Name} | {cells[0]} | {cells[1]} |");
            }
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static StampContext Context(MarkKey key, string contentId, MediaFormat format) =>
        new("fig.mp4", format, new StampRequest(contentId, "producer", new LabelPolicy()), key, MarkId.Compute(key, "producer", contentId),
            new AigcLabel("1", "producer", contentId), new MediaLimits(), new StageTimings());

    private static VideoStreamInfo ProbeInfo(string path, ToolRunner tools)
    {
        byte[] bytes = File.ReadAllBytes(path);
        using var ws = MediaWorkspace.CreateAsync(bytes, ".mp4", default).GetAwaiter().GetResult();
        return new VideoProbe(tools).ProbeAsync(ws, MediaFormat.Mp4, bytes, "fig", new MediaLimits(), default).GetAwaiter().GetResult();
    }
}
