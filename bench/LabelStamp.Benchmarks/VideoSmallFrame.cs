using System.Diagnostics;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;
using LabelStamp.Robustness.Video;
using LabelStamp.Verification;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project bench/LabelStamp.Benchmarks -- video-540 [samples-media/video/pan-zoom.mp4] [trials]`:
/// the 960×540 sample stamped with the production options under several keys and content IDs
/// (key k = bytes k..k+31, content "small-k"), then CRF 23, CRF 30 and the 5 s excerpt; prints per
/// trial whether the mark is found, the bits corrected and the geometry the detector reports
/// (bench/VIDEO.md, "small frames").
/// </summary>
public static class VideoSmallFrame
{
    public static int Run(string sample, int trials)
    {
        var options = new VideoLabelOptions();
        var labeler = new VideoLabeler(options: options);
        var tools = new ToolRunner();
        var verifier = new MediaCatalog().CreateVerifier();
        string dir = Path.Combine(Path.GetTempPath(), "ls-video-540-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            byte[] input = File.ReadAllBytes(sample);
            var attacks = new[] { VideoAttackSuite.H264Crf23, VideoAttackSuite.H264Crf30, VideoAttackSuite.Excerpt5s };
            Console.WriteLine($"mark scale factor at 960×540: {LumaMarkScaler.FactorFor(960, 540, options.MarkScale)}, strength {options.MarkStrength}");
            Console.WriteLine();
            Console.WriteLine("| trial | " + string.Join(" | ", attacks.Select(a => a.Name)) + " | original (no key match) |");
            Console.WriteLine("|---|" + string.Concat(attacks.Select(_ => "---|")) + "---|");
            int[] found = new int[attacks.Length];
            for (int k = 1; k <= trials; k++)
            {
                var key = MarkKey.FromBytes(Enumerable.Range(k, 32).Select(i => (byte)i).ToArray());
                string id = $"small-{k}";
                var ctx = new StampContext("small.mp4", MediaFormat.Mp4, new StampRequest(id, "producer", new LabelPolicy()), key,
                    MarkId.Compute(key, "producer", id), new AigcLabel("1", "producer", id), new MediaLimits(), new StageTimings());
                var sw = Stopwatch.StartNew();
                byte[] output = labeler.LabelAsync(input, ctx, default).GetAwaiter().GetResult().Output;
                string labeled = Path.Combine(dir, "labeled.mp4");
                File.WriteAllBytes(labeled, output);
                var cells = new List<string>();
                for (int a = 0; a < attacks.Length; a++)
                {
                    string attacked = Path.Combine(dir, "attacked.mp4");
                    attacks[a].ApplyAsync(labeled, attacked, 6.0, tools, default).GetAwaiter().GetResult();
                    var report = verifier.VerifyAsync(File.ReadAllBytes(attacked), "attacked.mp4", new VerifyOptions { Key = key }).GetAwaiter().GetResult();
                    string cell = VideoMarkReading.FramesCell(report, ctx.MarkId);
                    if (cell is not ("miss" or "WRONG")) found[a]++;
                    cells.Add(cell == "miss" ? "missed" : cell == "WRONG" ? "WRONG ID" : $"found ({cell})");
                }
                var original = verifier.VerifyAsync(input, "original.mp4", new VerifyOptions { Key = key }).GetAwaiter().GetResult();
                cells.Add(original.Watermark.State == LayerState.Found ? "FALSE POSITIVE" : "none");
                Console.WriteLine($"| {k} | " + string.Join(" | ", cells) + " |");
            }
            Console.WriteLine();
            Console.WriteLine("found: " + string.Join(", ", attacks.Select((a, i) => $"{a.Name} {found[i]}/{trials}")));
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
