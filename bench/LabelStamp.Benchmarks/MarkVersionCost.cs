using System.Diagnostics;
using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;
using LabelStamp.Media;
using LabelStamp.Media.Ffmpeg;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;
using LabelStamp.Verification;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `video-corpus DIR versions [clips] [attacks] [runs]` (round 11 of issue 18; the automatic version since round 18): the
/// product's video mark versions against a plain transcode, per clip: a plain transcode with the stamp's own encoder
/// arguments, a stamp with the static mark, one with the content-locked mark and one with the automatic choice (which
/// pattern it kept is reported), alternated <c>runs</c> times (the order rotated each run), medians of
/// total CPU (own + children) and bytes. Then, once per clip: the content-locked mark's tracker alone on the clip's
/// frames in thread CPU (<see cref="ContentLockedMarkEmbedder.Track"/>, the frames decoded by a separate ffmpeg whose CPU
/// is not counted), its share of the content-locked stamp's CPU, the stamp's own wall-time figure for the tracker, both
/// stamps read back by verify's frames (bits corrected, static or registered reader), and the false-detection check of
/// issue 18: the stamps read under a wrong key and the plain transcode (unmarked, the same encoder) under the stamping
/// key, each counted as a false detection when verify's watermark row says anything but not found (frames or audio track).
/// </summary>
public static class MarkVersionCost
{
    public static int Run(string dir, List<(string File, bool Audio)> clips, int runs, string work)
    {
        var tools = new ToolRunner();
        var statics = new VideoLabelOptions { MarkVersion = VideoMarkVersion.Static };
        var locked = new VideoLabelOptions { MarkVersion = VideoMarkVersion.ContentLocked };
        var auto = new VideoLabelOptions { MarkVersion = VideoMarkVersion.Auto };
        int falses = 0, falseReads = 0, staticRead = 0, lockedRead = 0, autoRead = 0, autoStatic = 0;
        string[] versions = ["plain", "static", "locked", "auto"];
        Console.WriteLine($"runs per cell: {runs}, alternating plain / static / content-locked / auto (order rotated per run); {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| clip | plain CPU-s | static: CPU / plain | content-locked: CPU / plain | **auto: CPU / plain** | plain bytes | static: bytes / plain | content-locked: bytes / plain | **auto: bytes / plain** | auto stamped | tracker thread CPU-s (ms/frame) | tracker / content-locked stamp CPU | stamp's tracker wall ms | static stamp read by | content-locked stamp read by | auto stamp read by | false detections (wrong key: static, content-locked, auto; unmarked) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|---|---|---|");
        foreach (var clip in clips)
        {
            var (input, format, info, plainArgs, plainOut) = VideoCorpus.PlainTranscode(tools, dir, clip, statics, work);
            var cells = versions.ToDictionary(v => v, _ => new List<(double Cpu, long Bytes)>());
            var trackerWall = new List<double>();
            byte[]? staticOutput = null, lockedOutput = null, autoOutput = null;
            bool autoSecondPass = false;
            string? lockedNotice = null;
            var lockedCtx = VideoCorpus.Context(BenchKeys.Sequential(1), "versions-" + clip.File, format);
            for (int r = 0; r < runs; r++)
            {
                foreach (string v in versions.Skip(r % versions.Length).Concat(versions.Take(r % versions.Length)))
                {
                    var m = v switch
                    {
                        "plain" => VideoCost.Measure(() => { FfmpegCommand.Run([.. plainArgs]); return new FileInfo(plainOut).Length; }),
                        "static" => VideoCost.Measure(() =>
                        {
                            staticOutput = new VideoLabeler(options: statics, tools: tools)
                                .LabelAsync(input, VideoCorpus.Context(BenchKeys.Sequential(1), "versions-" + clip.File, format), default).GetAwaiter().GetResult().Output;
                            return staticOutput.Length;
                        }),
                        "locked" => VideoCost.Measure(() =>
                        {
                            var ctx = VideoCorpus.Context(BenchKeys.Sequential(1), "versions-" + clip.File, format);
                            lockedOutput = new VideoLabeler(options: locked, tools: tools).LabelAsync(input, ctx, default).GetAwaiter().GetResult().Output;
                            trackerWall.Add(ctx.Timings.Stages.Where(s => s.Stage == "video-mark-tracker").Sum(s => s.Ms));
                            lockedNotice = ctx.Notices.FirstOrDefault()?.Reason;
                            return lockedOutput.Length;
                        }),
                        _ => VideoCost.Measure(() =>
                        {
                            var ctx = VideoCorpus.Context(BenchKeys.Sequential(1), "versions-" + clip.File, format);
                            autoOutput = new VideoLabeler(options: auto, tools: tools).LabelAsync(input, ctx, default).GetAwaiter().GetResult().Output;
                            autoSecondPass = ctx.Timings.Stages.Any(s => s.Stage == "video-pipeline-static");
                            return autoOutput.Length;
                        }),
                    };
                    cells[v].Add((m.Own + m.Children, m.Bytes));
                }
            }
            double Cpu(string k) => Stats.Median(cells[k].Select(c => c.Cpu));
            double Bytes(string k) => Stats.Median(cells[k].Select(c => (double)c.Bytes));
            var (trackerCpu, frames) = TrackerCpu(Path.Combine(dir, clip.File), info, lockedCtx);
            string readStatic = ReadBack(staticOutput!, clip.File, format, lockedCtx.MarkId);
            string read = ReadBack(lockedOutput!, clip.File, format, lockedCtx.MarkId) + (lockedNotice is null ? "" : " (not claimed)");
            string readAuto = ReadBack(autoOutput!, clip.File, format, lockedCtx.MarkId);
            if (readStatic is not ("miss" or "WRONG")) staticRead++;
            if (!read.StartsWith("miss", StringComparison.Ordinal) && !read.StartsWith("WRONG", StringComparison.Ordinal)) lockedRead++;
            if (readAuto is not ("miss" or "WRONG")) autoRead++;
            if (autoSecondPass) autoStatic++;
            // The unmarked copy is the plain transcode left by the last run: the same encoder arguments as the stamps.
            var falseCells = new[]
            {
                FalseDetection(staticOutput!, clip.File, WrongKey),
                FalseDetection(lockedOutput!, clip.File, WrongKey),
                FalseDetection(autoOutput!, clip.File, WrongKey),
                FalseDetection(File.ReadAllBytes(plainOut), clip.File, BenchKeys.Sequential(1)),
            };
            int clipFalses = falseCells.Count(f => f != "none");
            falses += clipFalses;
            falseReads += falseCells.Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {clip.File} | {Cpu("plain"):0.00} | {Cpu("static") / Cpu("plain"):0.00} | {Cpu("locked") / Cpu("plain"):0.00} | **{Cpu("auto") / Cpu("plain"):0.00}** | {Bytes("plain"):0} | {Bytes("static") / Bytes("plain"):0.000} | {Bytes("locked") / Bytes("plain"):0.000} | **{Bytes("auto") / Bytes("plain"):0.000}** | {(autoSecondPass ? "static (second pass)" : "content-locked")} | {trackerCpu:0.00} ({1000 * trackerCpu / Math.Max(1, frames):0.0}) | {trackerCpu / Cpu("locked"):0.000} | {Stats.Median(trackerWall):0} | {readStatic} | {read} | {readAuto} | {clipFalses} of {falseCells.Length}{(clipFalses == 0 ? "" : " (" + string.Join(", ", falseCells) + ")")} |"));
        }
        Console.WriteLine();
        Console.WriteLine($"stamps read back by their frames: static {staticRead} of {clips.Count}, content-locked {lockedRead} of {clips.Count}, auto {autoRead} of {clips.Count} "
            + $"(static in a second pass on {autoStatic}); false detections {falses} of {falseReads} (each stamp under a wrong key, the plain transcode under the stamping key)");
        return falses == 0 ? 0 : 1;
    }

    /// <summary>The wrong key of the false-detection reads: the "other key" of the video-corpus robust table.</summary>
    private static MarkKey WrongKey => BenchKeys.Sequential(77);

    /// <summary>A file that must carry no mark under <paramref name="key"/>: "none" when verify's watermark row is not
    /// found, else its state and where it came from (frames or the audio track), which the table prints as a false detection.</summary>
    private static string FalseDetection(byte[] file, string name, MarkKey key)
    {
        var report = new MediaCatalog().CreateVerifier().VerifyAsync(file, name, new VerifyOptions { Key = key }).GetAwaiter().GetResult();
        if (report.Watermark.State == LayerState.NotFound) return "none";
        string where = report.Watermark.Details?.GetValueOrDefault("video") == "found" ? "frames" : "audio track or other";
        return $"**FALSE** ({report.Watermark.State}, {where})";
    }

    /// <summary>The product's tracker alone over the clip's frames, in the stamp's frame order: thread CPU seconds and frames.</summary>
    private static (double Seconds, int Frames) TrackerCpu(string path, VideoStreamInfo info, StampContext ctx)
    {
        var psi = new ProcessStartInfo("nice") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "-n", "10", "ffmpeg", "-nostdin", "-v", "error", "-i", path, "-map", "0:v:0", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "gray", "-" })
            psi.ArgumentList.Add(a);
        using var dec = Process.Start(psi)!;
        using var embedder = new ContentLockedMarkEmbedder(ctx.Key, MarkPayload.For(ctx.MarkId, ctx.Key), info.Width, info.Height);
        byte[] frame = new byte[info.Width * info.Height];
        double cpu = 0;
        int frames = 0;
        while (dec.StandardOutput.BaseStream.ReadAtLeast(frame, frame.Length, throwOnEndOfStream: false) == frame.Length)
        {
            double t0 = CpuClock.Thread();
            embedder.Track(frame);
            cpu += CpuClock.Thread() - t0;
            frames++;
        }
        dec.WaitForExit();
        return (cpu, frames);
    }

    /// <summary>The stamp read back by verify (frames): bits corrected and which reader, or "miss".</summary>
    private static string ReadBack(byte[] stamped, string name, MediaFormat format, MarkId id)
    {
        var report = new MediaCatalog().CreateVerifier().VerifyAsync(stamped, name, new VerifyOptions { Key = BenchKeys.Sequential(1) }).GetAwaiter().GetResult();
        string cell = VideoMarkReading.FramesCell(report, id);
        if (cell is "miss" or "WRONG") return cell;
        string geometry = report.Watermark.Details!.GetValueOrDefault("geometry") ?? "";
        return cell + (geometry.StartsWith("content-locked", StringComparison.Ordinal) ? " (registered)" : " (static reader)");
    }
}
