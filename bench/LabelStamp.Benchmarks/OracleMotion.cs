using System.Diagnostics;
using System.Globalization;
using LabelStamp.Media.Video;
using LabelStamp.Marks.Video;

namespace LabelStamp.Benchmarks;

/// <summary>
/// Round 9 of issue 18, an oracle: each frame's map from the first frame's coordinates (centred,
/// x = S·X + T, <see cref="GluedMark"/>'s convention), measured once on the clean source before anything
/// is marked, with CPU a product could not spend (the tracker itself is causal: previous and current frame only). It answers one question: if
/// the embedder knew the content's motion exactly, would a pattern that moves with it cost the encoder
/// nothing? Rounds 4–6 measured the same idea through a conservative estimator that follows only part
/// of the frames; this removes that limit.
/// Modes: "o" — the global translation between consecutive frames by phase correlation on a reduced
/// plane (whole-frame, Hann-windowed, so smooth renders and dark frames still give a peak), refined on
/// the full plane by an SSD search with a parabolic sub-pixel step, accumulated; "oi" — the same,
/// each step rounded to whole pixels (the corpus pans crop at whole-pixel steps, so rounding removes any sub-pixel
/// drift of the estimator there; measured: no gain, 0.984× against 0.965× on the 1080p photo pan); "og" — "o" with steps that do not explain the frame taken as no motion
/// (<see cref="PhaseCorrelationTracker.GatedStillGain"/>: without it the correlation walks the pattern off still or
/// locally moving pictures, `life` 93 px in 6 s); "ok" — the corpus generator's known zoom about the centre
/// (bench/corpus/make-video-corpus.sh: scaled width 2·trunc(W·(1 + z·t/T)/2)), no translation; round 10: "or" — the causal
/// <see cref="ReducedPhaseTracker"/> (translation), "oz" — the same with its zoom (the map's scale composed per step).
/// Exploration code: not product code.
/// </summary>
public static class OracleMotion
{
    /// <summary>The corpus zooms: clip name prefix → (frame width W, zoom z over the clip, clip length T in seconds).</summary>
    private static readonly (string Prefix, int W, double Z, double T)[] KnownZooms =
    [
        ("photo-zoom-720p25", 1280, 0.3, 8), ("render-zoom-540p30", 960, 0.3, 8),
        ("cartoon-zoom-540p24", 960, 0.3, 10), ("photo-still-720p24", 1280, 0.03, 8),
    ];

    private static readonly bool Trace = Environment.GetEnvironmentVariable("LS_TRACE_MOTION") == "1";

    public static List<(double Scale, double Ox, double Oy)> Measure(string clip, double seconds, VideoStreamInfo info, string mode)
    {
        int w = info.Width, h = info.Height;
        string[] fr = info.FrameRate.Split('/');
        double fps = double.Parse(fr[0], CultureInfo.InvariantCulture) / (fr.Length > 1 ? double.Parse(fr[1], CultureInfo.InvariantCulture) : 1);
        var maps = new List<(double, double, double)>();
        var dec = Decode(clip, seconds);
        var src = dec.StandardOutput.BaseStream;
        byte[] cur = new byte[w * h], prev = new byte[w * h];
        var tracker = mode is "ok" or "or" or "oz" ? null : new PhaseCorrelationTracker(w, h) { StillGain = mode == "og" ? PhaseCorrelationTracker.GatedStillGain : 0 };
        // Round 10: the causal tracker a product could afford (translation, or translation + zoom).
        var reduced = mode is "or" or "oz" ? new ReducedPhaseTracker(w, h) { FollowZoom = mode == "oz" } : null;
        double scale = 1, cpu = 0;
        var zoom = mode == "ok" ? KnownZooms.FirstOrDefault(z => Path.GetFileName(clip).StartsWith(z.Prefix, StringComparison.Ordinal)) : default;
        if (mode == "ok" && zoom.Prefix is null) throw new ArgumentException("no known zoom for " + clip);
        double ox = 0, oy = 0, sumAbsX = 0, sumAbsY = 0;
        int frames = 0;
        while (src.ReadAtLeast(cur, cur.Length, throwOnEndOfStream: false) == cur.Length)
        {
            if (mode == "ok")
            {
                double t = frames / fps;
                double wt = 2 * Math.Truncate(zoom.W * (1 + zoom.Z * t / zoom.T) / 2);
                maps.Add((wt / zoom.W, 0, 0));
            }
            else if (reduced is not null)
            {
                double t0 = CpuClock.Thread();
                var (st, tx, ty) = reduced.Step(cur);
                cpu += CpuClock.Thread() - t0;
                if (Trace && frames > 0) Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  frame {frames}: step ×{st:0.00000} ({tx:0.00}, {ty:0.00}), coarse SNR {reduced.LastCoarseSnr:0.0}, sharp patches {reduced.LastSharpPatches}"));
                (scale, ox, oy) = (st * scale, st * ox + tx, st * oy + ty);
                sumAbsX += Math.Abs(tx);
                sumAbsY += Math.Abs(ty);
                maps.Add((scale, ox, oy));
            }
            else
            {
                if (frames > 0)
                {
                    var (dx, dy) = tracker!.Step(prev, cur);
                    if (Trace) Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  frame {frames}: step ({dx:0.00}, {dy:0.00}), peak {tracker.LastPeak:0.000}, SSD gain {tracker.LastGain:0.000}"));
                    if (mode == "oi") (dx, dy) = (Math.Round(dx), Math.Round(dy));
                    ox += dx;
                    oy += dy;
                    sumAbsX += Math.Abs(dx);
                    sumAbsY += Math.Abs(dy);
                }
                else tracker!.Step(null, cur);
                maps.Add((1, ox, oy));
            }
            (prev, cur) = (cur, prev);
            frames++;
        }
        dec.WaitForExit();
        if (dec.ExitCode != 0) throw new InvalidOperationException("decode failed");
        var last = maps[^1];
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"oracle {mode}: {frames} frames, mean |step| x {sumAbsX / Math.Max(1, frames - 1):0.000} y {sumAbsY / Math.Max(1, frames - 1):0.000} px, last map scale {last.Item1:0.0000} offset ({last.Item2:0.0}, {last.Item3:0.0}){(reduced is null ? "" : $", tracker {cpu * 1000 / frames:0.00} thread CPU-ms/frame")}"));
        return maps;
    }

    private static Process Decode(string clip, double seconds)
    {
        var psi = new ProcessStartInfo("nice") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "-n", "10", "ffmpeg", "-nostdin", "-v", "error", "-i", clip, "-t", seconds.ToString(CultureInfo.InvariantCulture),
                     "-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "gray", "-" })
            psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }
}
