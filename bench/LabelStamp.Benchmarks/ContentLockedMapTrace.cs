using System.Globalization;
using LabelStamp.Marks.Video;

namespace LabelStamp.Benchmarks;

/// <summary>
/// Issue 18, round 12: where the content-locked embedder drew the pattern against where a reader registers it. The
/// embedder's tracker (as <see cref="ContentLockedMarkEmbedder"/> sets it) runs over every frame of the unstamped
/// <c>source</c>; the reader's (<see cref="RegisteredCanvas"/>'s settings) over every <c>step</c>-th frame of the
/// <c>stamp</c>. Both maps are taken relative to the first kept frame and printed side by side: where they part, the
/// canvas smears the pattern. <c>follow</c>: the embedder follows the zoom.
/// </summary>
public static class ContentLockedMapTrace
{
    public static int Run(string source, string stamp, double seconds, int step, bool follow)
    {
        var (w, h) = GrayFrames.Size(source);
        var embed = Maps(source, w, h, seconds, 1, new ReducedPhaseTracker(w, h)
        {
            FollowZoom = follow, MinimumZoomPixels = ReducedPhaseTracker.ZoomHoldPixels, DropOnePatch = true, AvoidCorners = true, HoldOnZoom = !follow,
        });
        var read = Maps(stamp, w, h, seconds, step, new ReducedPhaseTracker(w, h)
        {
            FollowZoom = follow, MinimumZoomPixels = ReducedPhaseTracker.ZoomHoldPixels, DropOnePatch = true, AvoidCorners = true,
        });
        Console.WriteLine("frame\tembed s\tembed x\tembed y\tread s\tread x\tread y\tdx\tdy");
        var e0 = embed[0];
        for (int k = 0; k < read.Count && k * step < embed.Count; k++)
        {
            var e = embed[k * step];
            // The embedder's map relative to its first frame's (both maps start at the identity on frame 0).
            double es = e.Scale / e0.Scale, ex = e.OffsetX - es * e0.OffsetX, ey = e.OffsetY - es * e0.OffsetY;
            var r = read[k];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{k * step}\t{es:0.0000}\t{ex:0.00}\t{ey:0.00}\t{r.Scale:0.0000}\t{r.OffsetX:0.00}\t{r.OffsetY:0.00}\t{r.OffsetX - ex:0.00}\t{r.OffsetY - ey:0.00}"));
        }
        return 0;
    }

    /// <summary>Whether the product's embedder (zoom shots held) takes the clip's first <paramref name="seconds"/> as a zoom
    /// shot, and at which frame; its moved frames.</summary>
    public static int ZoomShot(string clip, double seconds)
    {
        var (w, h) = GrayFrames.Size(clip);
        var key = BenchKeys.Sequential(1);
        using var embedder = new ContentLockedMarkEmbedder(key, Marks.Payload.MarkPayload.For(Labels.MarkId.Compute(key, "bench", clip), key), w, h);
        int frame = 0, heldAt = -1;
        foreach (byte[] buf in GrayFrames.Read(clip, w, h, seconds))
        {
            embedder.Track(buf);
            if (embedder.HeldForZoom && heldAt < 0) heldAt = frame;
            frame++;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(clip)}\t{frame} frames\t{(heldAt >= 0 ? $"zoom shot held at frame {heldAt}" : "not held")}\t{embedder.MovedFrames} moved"));
        return 0;
    }

    /// <summary>The product embedder's map (<see cref="ContentLockedMarkEmbedder.Track"/>, zoom shots held) on every frame of
    /// the clip's first <paramref name="seconds"/>, one line a frame: two builds' dumps diffed show the first frame where
    /// their maps part.</summary>
    public static int EmbedSteps(string clip, double seconds)
    {
        var (w, h) = GrayFrames.Size(clip);
        var key = BenchKeys.Sequential(1);
        using var embedder = new ContentLockedMarkEmbedder(key, Marks.Payload.MarkPayload.For(Labels.MarkId.Compute(key, "bench", clip), key), w, h);
        Console.WriteLine("frame\ts\tx\ty\theld");
        int frame = 0;
        foreach (byte[] buf in GrayFrames.Read(clip, w, h, seconds))
        {
            var m = embedder.Track(buf);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{frame++}\t{m.Scale:0.0000}\t{m.OffsetX:0.00}\t{m.OffsetY:0.00}\t{(embedder.HeldForZoom ? 1 : 0)}"));
        }
        return 0;
    }

    /// <summary>What the embedder's tracker (<see cref="ContentLockedMarkEmbedder"/>'s settings, zoom shots held) measures
    /// on every step of the clip's first <paramref name="seconds"/>: sharp patches, the similarity fit (α, its RMS miss, the
    /// patches' reach, α·reach against <see cref="ReducedPhaseTracker.ZoomHoldPixels"/>, the mean translation), whether the
    /// step was held as a zoom, and the step returned: why a zoom is or is not taken as a shot.</summary>
    public static int ZoomSteps(string clip, double seconds)
    {
        var (w, h) = GrayFrames.Size(clip);
        using var tracker = new ReducedPhaseTracker(w, h)
        {
            MinimumZoomPixels = ReducedPhaseTracker.ZoomHoldPixels, DropOnePatch = true, HoldOnZoom = true,
        };
        Console.WriteLine("frame\tpatches\talpha\tresidual\treach\tzoom px\tmean x\tmean y\theld\ts\ttx\tty");
        int frame = 0;
        var steps = new List<(int Held, double Alpha, double Pixels)>();
        foreach (byte[] buf in GrayFrames.Read(clip, w, h, seconds))
        {
            var (s, tx, ty) = tracker.Step(buf);
            var f = tracker.LastFit;
            if (frame > 0)
                steps.Add((Math.Sign(tracker.LastZoom), f?.Alpha ?? 0,
                    f is { } g && g.Residual <= ReducedPhaseTracker.ZoomResidual ? Math.Abs(g.Alpha) * g.Reach : 0));
            string fit = f is { } v
                ? string.Create(CultureInfo.InvariantCulture, $"{v.Alpha * 1000:0.000}e-3\t{v.Residual:0.000}\t{v.Reach:0.0}\t{v.Alpha * v.Reach:0.000}\t{v.MeanX:0.000}\t{v.MeanY:0.000}")
                : "-\t-\t-\t-\t-\t-";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{frame++}\t{tracker.LastSharpPatches}\t{fit}\t{(tracker.LastZoom != 0 ? 1 : 0)}\t{s:0.0000}\t{tx:0.000}\t{ty:0.000}"));
        }
        // The embedder's shot window replayed over these steps with the count's threshold at T px (a held step always
        // counts): the largest same-sign count of a window, how many windows reach ZoomedShotSteps, and the first frame at
        // which one does (where the shot would be held).
        foreach (double t in (double[])[ReducedPhaseTracker.ZoomHoldPixels, 0.15, ContentLockedMarkEmbedder.ZoomShotPixels, 0.10])
        {
            int sum = 0, most = 0, reached = 0, first = -1;
            var window = new Queue<int>();
            for (int k = 0; k < steps.Count; k++)
            {
                var (held, alpha, pixels) = steps[k];
                int sign = held != 0 ? held : pixels >= t ? Math.Sign(alpha) : 0;
                window.Enqueue(sign);
                sum += sign;
                if (window.Count > ContentLockedMarkEmbedder.ZoomedShotWindow) sum -= window.Dequeue();
                most = Math.Max(most, Math.Abs(sum));
                if (Math.Abs(sum) < ContentLockedMarkEmbedder.ZoomedShotSteps) continue;
                reached++;
                if (first < 0) first = k + 1;
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# count from {t:0.00} px: largest window count {most}, {reached} of {steps.Count} windows reach {ContentLockedMarkEmbedder.ZoomedShotSteps}, first at frame {(first < 0 ? "none" : first.ToString(CultureInfo.InvariantCulture))}"));
        }
        return 0;
    }

    private static List<FrameMap> Maps(string clip, int w, int h, double seconds, int step, ReducedPhaseTracker tracker)
    {
        var maps = new List<FrameMap>();
        var map = FrameMap.Identity;
        using (tracker)
            foreach (byte[] buf in GrayFrames.Read(clip, w, h, seconds, $"select='not(mod(n\\,{step}))'"))
            {
                var (s, tx, ty) = tracker.Step(buf);
                if (step == 1 && Environment.GetEnvironmentVariable("LS_TRACE_STEPS") == "1" && (s != 1 || tx != 0 || ty != 0))
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"step {maps.Count}: ({s:0.0000}, {tx:0.00}, {ty:0.00}) patches {tracker.LastSharpPatches} coarse SNR {tracker.LastCoarseSnr:0.0}"));
                if (maps.Count > 0) map = map.Then(s, tx, ty);
                maps.Add(map);
            }
        return maps;
    }
}
