using System.Diagnostics;
using System.Globalization;
using LabelStamp.Media.Video;
using LabelStamp.Marks.Video;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project bench/LabelStamp.Benchmarks -- video-tracker-compare SECONDS CLIP...`: round 10 of
/// issue 18. Round 9's `o` tracker (<see cref="PhaseCorrelationTracker"/>, ungated, full-plane SSD refinement) and
/// <see cref="ReducedPhaseTracker"/> (translation, and translation + zoom) on the same decoded frames of the clean
/// source: per frame step, the difference of each reduced variant's translation at the frame centre from `o`'s
/// (mean, 95th percentile and largest, in px), the accumulated offsets after the last frame, the zoom variant's
/// accumulated scale, and each tracker's CPU time per frame: the reduced ones on the calling thread (<see cref="CpuClock.Thread"/>),
/// `o` over the whole process (<see cref="CpuClock.Own"/>: its SSD search runs on the thread pool); the decode runs in
/// ffmpeg and is not counted. Frames are decoded to gray once and fed to all three trackers.
/// </summary>
public static class TrackerComparison
{
    public static int Run(string clip, double seconds)
    {
        var info = VideoMarkShape.ReadClip(clip, new LabelStamp.Media.Ffmpeg.ToolRunner()).Info;
        int w = info.Width, h = info.Height;
        var oracle = new PhaseCorrelationTracker(w, h);
        var reduced = new ReducedPhaseTracker(w, h);
        var zoom = new ReducedPhaseTracker(w, h) { FollowZoom = true, Clock = CpuClock.Thread };
        var psi = new ProcessStartInfo("nice") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "-n", "10", "ffmpeg", "-nostdin", "-v", "error", "-i", clip, "-t", seconds.ToString(CultureInfo.InvariantCulture),
                     "-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "gray", "-" })
            psi.ArgumentList.Add(a);
        using var dec = Process.Start(psi)!;
        var src = dec.StandardOutput.BaseStream;
        byte[] cur = new byte[w * h], prev = new byte[w * h];
        var errT = new List<double>();
        var errZ = new List<double>();
        double oX = 0, oY = 0, rX = 0, rY = 0, zS = 1, zX = 0, zY = 0, cpuO = 0, cpuR = 0, cpuZ = 0;
        int frames = 0, sharpR = 0, sharpZ = 0;
        while (src.ReadAtLeast(cur, cur.Length, throwOnEndOfStream: false) == cur.Length)
        {
            double p0 = CpuClock.Own();
            var (dx, dy) = oracle.Step(frames > 0 ? prev : null, cur);
            double p1 = CpuClock.Own();
            double t1 = CpuClock.Thread();
            var r = reduced.Step(cur);
            double t2 = CpuClock.Thread();
            var z = zoom.Step(cur);
            double t3 = CpuClock.Thread();
            (cpuO, cpuR, cpuZ) = (cpuO + p1 - p0, cpuR + t2 - t1, cpuZ + t3 - t2);
            if (frames > 0)
            {
                errT.Add(Math.Sqrt((r.Tx - dx) * (r.Tx - dx) + (r.Ty - dy) * (r.Ty - dy)));
                // The zoom variant's step at the frame centre (centred x = 0) is its translation.
                errZ.Add(Math.Sqrt((z.Tx - dx) * (z.Tx - dx) + (z.Ty - dy) * (z.Ty - dy)));
                (oX, oY, rX, rY) = (oX + dx, oY + dy, rX + r.Tx, rY + r.Ty);
                (zS, zX, zY) = (z.Scale * zS, z.Scale * zX + z.Tx, z.Scale * zY + z.Ty);
                if (reduced.LastSharpPatches > 0) sharpR++;
                if (zoom.LastSharpPatches >= 3) sharpZ++;
            }
            (prev, cur) = (cur, prev);
            frames++;
        }
        dec.WaitForExit();
        int steps = Math.Max(1, frames - 1);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {Path.GetFileName(clip)} | {w}×{h} | {frames} | {cpuO * 1000 / frames:0.0} | {cpuR * 1000 / frames:0.00} | {cpuZ * 1000 / frames:0.00} | "
            + $"{Stat(errT)} | {Stat(errZ)} | ({oX:0.0}, {oY:0.0}) | ({rX:0.0}, {rY:0.0}) | ({zX:0.0}, {zY:0.0}) ×{zS:0.0000} | {sharpR}/{steps} | {sharpZ}/{steps} | {zoom.ReduceSeconds * 1000 / frames:0.00} / {zoom.CoarseSeconds * 1000 / frames:0.00} / {zoom.FineSeconds * 1000 / frames:0.00} |"));
        return 0;
    }

    public static void Header() =>
        Console.WriteLine("| clip | size | frames | `o` CPU-ms/frame | reduced | reduced + zoom | step Δ from `o`, reduced: mean / p95 / max px | reduced + zoom | `o` end offset | reduced | reduced + zoom, scale | steps with a sharp patch | with ≥ 3 | zoom variant: reduce / coarse / patches CPU-ms |");

    private static string Stat(List<double> e)
    {
        if (e.Count == 0) return "—";
        var s = e.OrderBy(v => v).ToArray();
        return string.Create(CultureInfo.InvariantCulture, $"{s.Average():0.000} / {s[(int)(0.95 * (s.Length - 1))]:0.000} / {s[^1]:0.00}");
    }
}
