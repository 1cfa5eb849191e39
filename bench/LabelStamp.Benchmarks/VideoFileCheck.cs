using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Marks;
using System.Globalization;
using LabelStamp.Pipeline;
using LabelStamp.Media.Ffmpeg;
using LabelStamp.Media;
using LabelStamp.Media.Video;
using LabelStamp.Verification;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `video-file-check CLIP[,CLIP…] [static|content-locked] [--cpu RUNS]`: each clip stamped by the product (every layer,
/// key 1, the encoded file always read back; LS_X264_PRESET sets the x264 preset, default the product's medium), one line
/// per clip — the stamp's reading of its marked frames, of its own encoded file, verify's reading of the same file (frames
/// only; must equal the file check's) and what reading the file cost in wall ms against the stamp's pipeline — the
/// evidence for <see cref="EncodedMarkCheck.Needed"/>'s margin rule. With <c>content-locked</c> (round 17) a stamp whose
/// pattern moved prints the placed frames' reading (<see cref="MarkedFramesCheck.ReadPlaced"/>) and verify's reader's on the
/// file (<see cref="EncodedMarkCheck.ReadAsVerifyAsync"/>), the verify column is verify's default read (registered on a
/// static miss), and the last columns say which check ran (<c>placed</c> or <c>static</c>) and its stages' wall ms;
/// <c>--cpu</c> times verify's reader as the check alone.
/// </summary>
public static class VideoFileCheck
{
    public static int Run(string[] clips, string version, int cpuRuns = 0)
    {
        var options = new VideoLabelOptions
        {
            MarkVersion = version == "content-locked" ? Marks.Video.VideoMarkVersion.ContentLocked : Marks.Video.VideoMarkVersion.Static,
            RegisteredRead = RegisteredReadMode.Never,
            X264Preset = Environment.GetEnvironmentVariable("LS_X264_PRESET") ?? "medium",
        };
        var tools = new ToolRunner();
        var key = BenchKeys.Sequential(1);
        // Verify's reader as the CLI's verify runs it (the default registered read, on a static miss) for the content-locked
        // mark; the static mark's figures keep the frames-only reader of round 16.
        var inspector = new VideoInspector(options: options.MarkVersion == Marks.Video.VideoMarkVersion.ContentLocked
            ? options with { RegisteredRead = RegisteredReadMode.OnStaticMiss } : options, tools: tools);
        if (cpuRuns > 0) return Cpu(clips, options, tools, key, cpuRuns);
        Console.WriteLine("clip\tframes_bits\tframes_z\tfile_bits\tfile_z\tverify\tfile_check_ms\tpipeline_ms\tnotice\tmoved\tplacing_ms\tcheck_ms");
        foreach (string clip in clips)
        {
            var format = VideoCorpus.Format(clip);
            MarkCheckReadings? seen = null;
            var labeler = new VideoLabeler(options: options, tools: tools) { FileCheck = EncodedFileCheck.Always, MarkChecked = r => seen = r };
            var ctx = VideoCorpus.Context(key, "file-check-" + Path.GetFileName(clip), format);
            byte[] stamped;
            try
            {
                stamped = labeler.LabelAsync(File.ReadAllBytes(clip), ctx, default).GetAwaiter().GetResult().Output;
            }
            catch (Exception e) when (e is LabelStampException or IOException)
            {
                Console.WriteLine($"{Path.GetFileName(clip)}\terror: {e.Message}");
                continue;
            }
            var verify = inspector.ReadFramesMarksAsync(stamped, "stamped", format, [key], new MediaLimits(), default).GetAwaiter().GetResult()[0];
            string Ms(string stage) => ctx.Timings.Stages.Where(s => s.Stage == stage).Sum(s => s.Ms).ToString("0", CultureInfo.InvariantCulture);
            string Bits(Marks.Video.VideoMarkDetection? d) => d is null ? "miss" : d.BitErrorsCorrected.ToString(CultureInfo.InvariantCulture);
            string Z(Marks.Video.VideoMarkDetection? d) => d is null ? "-" : d.ZScore.ToString("0.0", CultureInfo.InvariantCulture);
            string verifyCell = verify is null ? "miss" : verify.MarkId == ctx.MarkId
                ? $"{verify.BitErrorsCorrected} ({verify.Geometry.Split(", ").FirstOrDefault(g => g.StartsWith("z ", StringComparison.Ordinal))})" : "WRONG";
            var r = seen;
            string Checked(MarkReading? m) => m is null ? "miss" : m.MarkId != ctx.MarkId ? "WRONG" : m.BitErrorsCorrected.ToString(CultureInfo.InvariantCulture);
            string CheckedZ(MarkReading? m) => m?.Geometry.Split(", ").FirstOrDefault(g => g.StartsWith("z ", StringComparison.Ordinal))?[2..] ?? "-";
            if (r is { Moved: true })
                Console.WriteLine(string.Join('\t', Path.GetFileName(clip),
                    r.Verdict == MarkedFramesVerdict.Reads ? r.Placed!.BitErrorsCorrected.ToString(CultureInfo.InvariantCulture) : r.Verdict.ToString(),
                    r.Placed?.ZScore.ToString("0.0", CultureInfo.InvariantCulture) ?? "-",
                    r.FileChecked ? Checked(r.Verified) : "-", r.FileChecked ? CheckedZ(r.Verified) : "-", verifyCell, Ms("video-mark-file-check"), Ms("video-pipeline"),
                    string.Join("; ", ctx.Notices.Select(n => n.Reason)), "placed", Ms("video-mark-placing"), Ms("video-mark-check")));
            else
                Console.WriteLine(string.Join('\t', Path.GetFileName(clip),
                    r?.Verdict == MarkedFramesVerdict.Reads ? Bits(r.Frames) : r?.Verdict.ToString() ?? "-", Z(r?.Frames),
                    r is { FileChecked: true } ? Bits(r.File) : "-", Z(r?.File), verifyCell, Ms("video-mark-file-check"), Ms("video-pipeline"),
                    string.Join("; ", ctx.Notices.Select(n => n.Reason)), "static", Ms("video-mark-placing"), Ms("video-mark-check")));
        }
        return 0;
    }

    /// <summary>`… --cpu RUNS`: the product's stamp with the file always read back against never, alternating, RUNS pairs per
    /// clip, then the check alone on the stamped file RUNS times (the stamps' own run-to-run spread hides it); CPU-s of this
    /// process and its reaped ffmpeg children (<see cref="VideoCost.Measure"/>), medians.</summary>
    private static int Cpu(string[] clips, VideoLabelOptions options, ToolRunner tools, MarkKey key, int runs)
    {
        Console.WriteLine("clip\tnever_cpu_s\talways_cpu_s\talways/never\tfile_check_ms (median)\tcheck_alone_cpu_s\tcheck_alone/never");
        foreach (string clip in clips)
        {
            var format = VideoCorpus.Format(clip);
            byte[] input = File.ReadAllBytes(clip);
            var never = new List<double>();
            var always = new List<double>();
            var checkMs = new List<double>();
            for (int r = 0; r < runs; r++)
                foreach (var mode in new[] { EncodedFileCheck.Never, EncodedFileCheck.Always })
                {
                    var ctx = VideoCorpus.Context(key, "file-check-" + Path.GetFileName(clip), format);
                    var labeler = new VideoLabeler(options: options, tools: tools) { FileCheck = mode };
                    var m = VideoCost.Measure(() => labeler.LabelAsync(input, ctx, default).GetAwaiter().GetResult().Output.Length);
                    (mode == EncodedFileCheck.Never ? never : always).Add(m.Own + m.Children);
                    if (mode == EncodedFileCheck.Always) checkMs.Add(ctx.Timings.Stages.Where(s => s.Stage == "video-mark-file-check").Sum(s => s.Ms));
                }
            // The check alone on the stamped file, so its CPU is not lost in the encoder's run-to-run spread.
            var stampCtx = VideoCorpus.Context(key, "file-check-" + Path.GetFileName(clip), format);
            byte[] stamped = new VideoLabeler(options: options, tools: tools) { FileCheck = EncodedFileCheck.Never }
                .LabelAsync(input, stampCtx, default).GetAwaiter().GetResult().Output;
            var alone = new List<double>();
            using (var ws = MediaWorkspace.CreateAsync(stamped, MediaCatalog.ContainerFor(format).WorkspaceExtension, default).GetAwaiter().GetResult())
            {
                var info = new VideoProbe(tools).ProbeAsync(ws, format, stamped, "stamped", new MediaLimits(), default).GetAwaiter().GetResult();
                var reader = EncodedMarkCheck.VerifyReader(options, tools);
                bool locked = options.MarkVersion == Marks.Video.VideoMarkVersion.ContentLocked;
                for (int r = 0; r < runs; r++)
                {
                    // The content-locked stamp reads its file with verify's reader (registered canvases in the one decode).
                    var m = locked
                        ? VideoCost.Measure(() => EncodedMarkCheck.ReadAsVerifyAsync(reader, stamped, format, key, "stamped", new MediaLimits(), default)
                            .GetAwaiter().GetResult() is null ? 0 : 1)
                        : VideoCost.Measure(() => EncodedMarkCheck.ReadAsync(tools, ws, format, ws.InputPath, info, key, "stamped", TimeSpan.FromMinutes(10), default)
                            .GetAwaiter().GetResult() is null ? 0 : 1);
                    alone.Add(m.Own + m.Children);
                }
            }
            double n = Stats.Median(never), a = Stats.Median(always), c = Stats.Median(alone);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(clip)}\t{n:0.00}\t{a:0.00}\t{a / n:0.000}\t{Stats.Median(checkMs):0}\t{c:0.00}\t{c / n:0.000}"));
        }
        return 0;
    }
}
