using System.Diagnostics;
using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Marks.Video;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;
using LabelStamp.Robustness.Video;
using LabelStamp.Verification;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project bench/LabelStamp.Benchmarks -- video-corpus DIR PART [clips] [attacks] [runs] [amplitude]`
/// over the development set of bench/corpus/make-video-corpus.sh (DIR/manifest.csv). PART is one of
/// <c>robust</c> (stamp under key 1, every attack of <see cref="VideoAttackSuite.Development"/>, the
/// frames read under key 1 and a wrong key; the originals read under both keys), <c>cost</c> (plain
/// transcode with the stamp's own encoder settings and the stamp alternated <c>runs</c> times: medians
/// of CPU-s and bytes) or <c>quality</c> (per-frame PSNR and SSIM on Y against the input, of a
/// watermark-only stamp and of the plain transcode at the same settings, and of the one against the other:
/// median and worst frame), or <c>versions</c> (<see cref="MarkVersionCost"/>: plain, static and content-locked stamps
/// alternated), or <c>frame-bytes</c> (<see cref="MarkFrameBytes"/>: plain, mark-off, static and content-locked stamps split
/// into key and inter frames, and the pattern's intra floor). <c>clips</c> and
/// <c>attacks</c>: comma-separated name prefixes, or <c>all</c>. Output: markdown rows on stdout.
/// </summary>
public static class VideoCorpus
{
    public static int Run(string dir, string part, string clips, string attacks, int runs, double amplitude)
    {
        var manifest = File.ReadAllLines(Path.Combine(dir, "manifest.csv")).Skip(1)
            .Select(l => l.Split(',')).Select(f => (File: f[0], Width: int.Parse(f[1], CultureInfo.InvariantCulture), Height: int.Parse(f[2], CultureInfo.InvariantCulture),
                Seconds: double.Parse(f[4], CultureInfo.InvariantCulture), Audio: f[6] == "yes"))
            .Where(c => clips == "all" || clips.Split(',').Any(p => c.File.StartsWith(p, StringComparison.Ordinal)))
            // In the order the prefixes were given (a partial run covers the ones named first).
            .OrderBy(c => clips == "all" ? 0 : Array.FindIndex(clips.Split(','), p => c.File.StartsWith(p, StringComparison.Ordinal)))
            .ToList();
        // The static mark, named rather than taken as the default: the robust, cost and quality tables in bench/VIDEO.md
        // (rounds 1-2) were measured on it; `versions` compares it with the content-locked version. LS_VIDEO_MARK picks
        // another for robust, cost and quality: content-locked, or follow-zoom (content-locked with a zoom shot followed
        // instead of held, VideoLabelOptions.FollowZoom: what following would cost, which verify cannot read yet).
        var options = Environment.GetEnvironmentVariable("LS_VIDEO_MARK") switch
        {
            null or "" or "static" => new VideoLabelOptions { MarkAmplitude = amplitude, MarkVersion = VideoMarkVersion.Static },
            "content-locked" => new VideoLabelOptions { MarkAmplitude = amplitude, MarkVersion = VideoMarkVersion.ContentLocked },
            "follow-zoom" => new VideoLabelOptions { MarkAmplitude = amplitude, MarkVersion = VideoMarkVersion.ContentLocked, FollowZoom = true },
            var other => throw new ArgumentException($"LS_VIDEO_MARK: static, content-locked or follow-zoom, not {other}"),
        };
        string work = Path.Combine(Path.GetTempPath(), "ls-video-corpus-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        try
        {
            return part switch
            {
                "robust" => Robust(dir, manifest.Select(c => (c.File, c.Height, c.Seconds)).ToList(), attacks, options, work),
                "cost" => Cost(dir, manifest.Select(c => (c.File, c.Audio)).ToList(), runs, options, work),
                "quality" => Quality(dir, manifest.Select(c => c.File).ToList(), options, work),
                "versions" => MarkVersionCost.Run(dir, manifest.Select(c => (c.File, c.Audio)).ToList(), runs, work),
                "frame-bytes" => MarkFrameBytes.Run(dir, manifest.Select(c => (c.File, c.Audio)).ToList(), work),
                _ => throw new ArgumentException("part: robust, cost, quality, versions or frame-bytes"),
            };
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static int Robust(string dir, List<(string File, int Height, double Seconds)> clips, string attackFilter, VideoLabelOptions options, string work)
    {
        var tools = new ToolRunner();
        var inspector = new VideoInspector(options: options, tools: tools);
        var limits = new MediaLimits();
        var keys = new[] { Key(1), Key(77) };
        var suite = VideoAttackSuite.Development
            .Where(a => attackFilter == "all" || attackFilter.Split(',').Any(p => a.Name.StartsWith(p, StringComparison.Ordinal))).ToList();
        Console.WriteLine("| clip | original (key 1 / other key) | stamped | " + string.Join(" | ", suite.Select(a => a.Name)) + " |");
        Console.WriteLine("|---|---|---|" + string.Concat(suite.Select(_ => "---|")));
        int found = 0, cells = 0, falses = 0;
        foreach (var clip in clips)
        {
            string path = Path.Combine(dir, clip.File);
            byte[] input = File.ReadAllBytes(path);
            var format = Format(clip.File);
            var sw = Stopwatch.StartNew();
            var original = inspector.ReadFramesMarksAsync(input, clip.File, format, keys, limits, default).GetAwaiter().GetResult();
            falses += original.Count(r => r is not null);
            string originalCell = string.Join(" / ", original.Select(r => r is null ? "none" : "FALSE"));

            var ctx = Context(keys[0], "corpus-" + clip.File, format);
            byte[] stamped = new VideoLabeler(options: options, tools: tools).LabelAsync(input, ctx, default).GetAwaiter().GetResult().Output;
            string stampedPath = Path.Combine(work, "stamped" + Path.GetExtension(clip.File));
            File.WriteAllBytes(stampedPath, stamped);
            var row = new List<string>();
            var own = inspector.ReadFramesMarksAsync(stamped, "stamped", format, keys, limits, default).GetAwaiter().GetResult();
            row.Add(own[0] is { } o && o.MarkId == ctx.MarkId ? o.BitErrorsCorrected.ToString(CultureInfo.InvariantCulture) + $" ({o.Geometry.Split(", ")[2]})" : "**miss**");
            foreach (var a in suite)
            {
                if (!VideoAttackSuite.Applies(a, clip.Height)) { row.Add("n/a"); continue; }
                var attack = VideoAttackSuite.For(a, clip.Height);
                string attacked = Path.Combine(work, "attacked" + attack.Extension);
                attack.ApplyAsync(stampedPath, attacked, clip.Seconds, tools, default).GetAwaiter().GetResult();
                var r = inspector.ReadFramesMarksAsync(File.ReadAllBytes(attacked), "attacked", Format(attacked), keys, limits, default).GetAwaiter().GetResult();
                cells++;
                if (r[1] is not null) falses++;
                string cell = r[0] is null ? "**miss**" : r[0]!.MarkId == ctx.MarkId ? r[0]!.BitErrorsCorrected.ToString(CultureInfo.InvariantCulture) : "**WRONG**";
                if (Environment.GetEnvironmentVariable("LS_VIDEO_Z") is not null && r[0] is { } z) cell += $" ({z.Geometry.Split(", ")[2]})";
                if (r[0] is not null && r[0]!.MarkId == ctx.MarkId) found++;
                if (r[1] is not null) cell += " (other key: **FALSE**)";
                row.Add(cell);
            }
            Console.WriteLine($"| {clip.File} | {originalCell} | " + string.Join(" | ", row) + " |");
            Console.Error.WriteLine($"{clip.File}: {sw.Elapsed.TotalSeconds:0} s");
        }
        Console.WriteLine();
        Console.WriteLine($"found {found} of {cells} cells ({100.0 * found / Math.Max(1, cells):0.0} %); false detections {falses} (originals under both keys, attacked copies under the other key)");
        return 0;
    }

    /// <summary>A loose guard, not the target: the bytes ratio measured in issue 18 reached 2.15 (a 540p
    /// cartoon zoom at CRF 26); a change that makes any clip's stamp cost more than this fails the run.
    /// The target (≤ 1.10) is not met yet and is reported, not asserted.</summary>
    public const double BytesRegressionBound = 2.5;

    private static int Cost(string dir, List<(string File, bool Audio)> clips, int runs, VideoLabelOptions options, string work)
    {
        var over = new List<string>();
        var tools = new ToolRunner();
        Console.WriteLine($"runs per cell: {runs}, alternating plain/stamp; {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| clip | encoder | plain CPU-s | stamp CPU-s (own + children) | **CPU stamp / plain** | plain bytes | stamp bytes | **bytes stamp / plain** | stamp, no watermark: CPU / plain, bytes / plain |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var clip in clips)
        {
            var (input, format, info, plainArgs, plainOut) = PlainTranscode(tools, dir, clip, options, work);
            var plain = new List<(double Cpu, long Bytes)>();
            var stamp = new List<(double Cpu, double Own, long Bytes)>();
            var bare = new List<(double Cpu, long Bytes)>();
            for (int r = 0; r < runs; r++)
            {
                plain.Add(VideoCost.Measure(() => { FfmpegCommand.Run([.. plainArgs]); return new FileInfo(plainOut).Length; }) is var p ? (p.Own + p.Children, p.Bytes) : default);
                var s = VideoCost.Measure(() => new VideoLabeler(options: options, tools: tools).LabelAsync(input, Context(Key(1), "cost-" + clip.File, format), default).GetAwaiter().GetResult().Output.Length);
                stamp.Add((s.Own + s.Children, s.Own, s.Bytes));
                if (r == 0)
                {
                    var b = VideoCost.Measure(() => new VideoLabeler(options: options, tools: tools).LabelAsync(input, Context(Key(1), "cost-" + clip.File, format, watermark: false), default).GetAwaiter().GetResult().Output.Length);
                    bare.Add((b.Own + b.Children, b.Bytes));
                }
            }
            double pc = Stats.Median(plain.Select(x => x.Cpu)), sc = Stats.Median(stamp.Select(x => x.Cpu)), own = Stats.Median(stamp.Select(x => x.Own));
            double pb = Stats.Median(plain.Select(x => (double)x.Bytes)), sb = Stats.Median(stamp.Select(x => (double)x.Bytes));
            var encoder = VideoCodecs.EncoderArguments(info, options);
            string codec = encoder[1] + " " + string.Join(" ", encoder.Skip(2).Take(4));
            Console.WriteLine($"| {clip.File} | {codec} | {pc:0.00} | {sc:0.00} ({own:0.00} + {sc - own:0.00}) | **{sc / pc:0.00}** | {pb:0} | {sb:0} | **{sb / pb:0.000}** | {bare[0].Cpu / pc:0.00}, {bare[0].Bytes / pb:0.000} |");
            if (sb / pb > BytesRegressionBound) over.Add($"{clip.File}: {sb / pb:0.000}");
        }
        Console.WriteLine();
        Console.WriteLine(over.Count == 0
            ? $"bytes stamp / plain within the regression bound {BytesRegressionBound} on every clip (target 1.10: bench/VIDEO.md)"
            : $"FAIL: bytes stamp / plain above the regression bound {BytesRegressionBound}: {string.Join("; ", over)}");
        return over.Count == 0 ? 0 : 1;
    }

    private static int Quality(string dir, List<string> clips, VideoLabelOptions options, string work)
    {
        var tools = new ToolRunner();
        Console.WriteLine("| clip | mark alone (no encode): PSNR Y | **watermark-only stamp vs plain transcode**: PSNR Y median / worst frame, SSIM Y median / worst | watermark-only stamp vs input: PSNR Y, SSIM Y (same) | plain transcode vs input: PSNR Y, SSIM Y (same) |");
        Console.WriteLine("|---|---:|---|---|---|");
        foreach (string file in clips)
        {
            string path = Path.Combine(dir, file);
            byte[] input = File.ReadAllBytes(path);
            var format = Format(file);
            VideoStreamInfo info;
            using (var ws = MediaWorkspace.CreateAsync(input, Path.GetExtension(file), default).GetAwaiter().GetResult())
                info = new VideoProbe(tools).ProbeAsync(ws, format, input, file, new MediaLimits(), default).GetAwaiter().GetResult();
            var ctx = Context(Key(1), "quality-" + file, format, explicitLabel: false);
            string marked = Path.Combine(work, "marked" + Path.GetExtension(file));
            File.WriteAllBytes(marked, new VideoLabeler(options: options, tools: tools).LabelAsync(input, ctx, default).GetAwaiter().GetResult().Output);
            string plain = Path.Combine(work, "plain" + Path.GetExtension(file));
            FfmpegCommand.Run([.. new[] { "-i", path, "-map", "0:v:0" }.Concat(VideoCodecs.EncoderArguments(info, options)).Append(plain)]);
            double pattern = PatternPsnr(info.Width, info.Height, ctx, options);
            Console.WriteLine($"| {file} | {pattern:0.0} dB | {Compare(marked, plain, work)} | {Compare(marked, path, work)} | {Compare(plain, path, work)} |");
        }
        return 0;
    }

    /// <summary>PSNR of the mark pattern alone on a mid-grey plane (no clipping): what it adds per frame.</summary>
    private static double PatternPsnr(int w, int h, StampContext ctx, VideoLabelOptions options)
    {
        var embedder = new Marks.Video.VideoMarkEmbedder(ctx.Key, Marks.Payload.MarkPayload.For(ctx.MarkId, ctx.Key), w, h, options.MarkAmplitude);
        byte[] plane = new byte[w * h];
        Array.Fill(plane, (byte)128);
        embedder.Embed(plane);
        double se = 0;
        foreach (byte b in plane) se += (b - 128) * (b - 128);
        return 10 * Math.Log10(255.0 * 255.0 / (se / plane.Length));
    }

    /// <summary>Per-frame PSNR and SSIM of Y (ffmpeg's psnr and ssim filters' stats files): median and worst frame.</summary>
    private static string Compare(string distorted, string reference, string work)
    {
        string psnrLog = Path.Combine(work, "psnr.log"), ssimLog = Path.Combine(work, "ssim.log");
        FfmpegCommand.Run("-i", distorted, "-i", reference, "-lavfi",
            $"[0:v]format=yuv420p,split[a0][a1];[1:v]format=yuv420p,split[b0][b1];[a0][b0]psnr=stats_file={psnrLog};[a1][b1]ssim=stats_file={ssimLog}", "-f", "null", "-");
        var psnr = Field(psnrLog, "psnr_y:");
        var ssim = Field(ssimLog, "Y:");
        return string.Create(CultureInfo.InvariantCulture, $"{Stats.Median(psnr):0.00} / {psnr.Min():0.00} dB, {Stats.Median(ssim):0.0000} / {ssim.Min():0.0000}");
    }

    private static List<double> Field(string log, string key) =>
        File.ReadAllLines(log).Select(l => l.Split(' ').First(t => t.StartsWith(key, StringComparison.Ordinal))[key.Length..])
            .Select(v => v == "inf" ? 99.0 : double.Parse(v, CultureInfo.InvariantCulture)).ToList();

    /// <summary>A clip read and probed as the stamp probes it, and the plain transcode it is measured against: the
    /// stamp's own encoder arguments, the audio track (if any) encoded as the stamp encodes it, faststart for MP4.</summary>
    internal static (byte[] Input, MediaFormat Format, VideoStreamInfo Info, List<string> PlainArgs, string PlainOut) PlainTranscode(
        ToolRunner tools, string dir, (string File, bool Audio) clip, VideoLabelOptions options, string work)
    {
        string path = Path.Combine(dir, clip.File);
        byte[] input = File.ReadAllBytes(path);
        var format = Format(clip.File);
        VideoStreamInfo info;
        using (var ws = MediaWorkspace.CreateAsync(input, Path.GetExtension(clip.File), default).GetAwaiter().GetResult())
            info = new VideoProbe(tools).ProbeAsync(ws, format, input, clip.File, new MediaLimits(), default).GetAwaiter().GetResult();
        string plainOut = Path.Combine(work, "plain" + Path.GetExtension(clip.File));
        var plainArgs = new List<string> { "-i", path, "-map", "0:v:0" };
        if (clip.Audio) plainArgs.AddRange(["-map", "0:a:0"]);
        plainArgs.AddRange(VideoCodecs.EncoderArguments(info, options));
        // The audio path's own encoder and rate rule, as the stamp encodes the track (until round 15 this was AAC 128k /
        // Opus 96k whatever the input, which put 5.7-7.2 % of two clips' stamp bytes on the audio track's rate alone).
        if (clip.Audio)
            plainArgs.AddRange(info.Audio is { } audio ? AudioCodecs.EncoderArguments(audio, clip.File)
                : info.IsWebM ? ["-c:a", "libopus", "-b:a", "96k"] : ["-c:a", "aac", "-b:a", "128k"]);
        if (format == MediaFormat.Mp4) plainArgs.AddRange(["-movflags", "+faststart"]);
        plainArgs.Add(plainOut);
        return (input, format, info, plainArgs, plainOut);
    }

    internal static MediaFormat Format(string file) => file.EndsWith(".webm", StringComparison.Ordinal) || file.EndsWith(".mkv", StringComparison.Ordinal) ? MediaFormat.Matroska : MediaFormat.Mp4;

    private static MarkKey Key(int k) => BenchKeys.Sequential(k);

    internal static StampContext Context(MarkKey key, string contentId, MediaFormat format, bool watermark = true, bool explicitLabel = true)
    {
        var policy = new LabelPolicy();
        if (!watermark) policy = policy with { Layers = policy.Layers & ~Layers.Watermark };
        if (!explicitLabel) policy = policy with { Layers = policy.Layers & ~Layers.Explicit };
        return new("corpus", format, new StampRequest(contentId, "producer", policy), key, MarkId.Compute(key, "producer", contentId),
            new AigcLabel("1", "producer", contentId), new MediaLimits(), new StageTimings());
    }
}
