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

    /// <summary>
    /// Issue 18, round 15: why verify's registered read loses an attacked copy. <c>video-map-trace SOURCE COPY 0 0 read
    /// FIRST_FRAME KEY_FILE</c>: the copy's frames sampled as verify samples them (every step-th, ≤ 120), registered by
    /// <see cref="RegisteredCanvas"/>'s tracker, each step printed beside the truth (the product embedder's map over the unstamped
    /// SOURCE, whose frame FIRST_FRAME is the copy's first, scaled by the copy's width over the source's) with how the tracker
    /// reached it (<see cref="TrackerStepKind"/>), its sharp patches and coarse SNR; then the registered search on the product's
    /// canvas (with the misses bridged, and chained as no motion as before) and on a canvas built from the truth, so a lost
    /// read is split into registration and margin.
    /// </summary>
    public static int Read(string source, string copy, int firstFrame, string keyFile)
    {
        var key = Labels.MarkKey.FromFile(keyFile);
        var (sw, sh) = GrayFrames.Size(source);
        var (w, h, total) = RegisteredMarkReader.Probe(copy);
        if ((long)w * h > 1920 * 1088) { Console.WriteLine("copies above 1920 × 1088 are read at half size: not traced"); return 2; }
        var truth = new List<FrameMap>();
        using (var embedder = new ContentLockedMarkEmbedder(key, Marks.Payload.MarkPayload.For(Labels.MarkId.Compute(key, "bench", source), key), sw, sh))
            foreach (byte[] buf in GrayFrames.Read(source, sw, sh, 1e6)) truth.Add(embedder.Track(buf));
        double r = (double)w / sw;
        int step = (int)Math.Max(1, (total + 119) / 120);
        var frames = new List<byte[]>();
        using var tracker = new ReducedPhaseTracker(w, h)
        {
            DropOnePatch = true, AvoidCorners = true, MinimumZoomPixels = ReducedPhaseTracker.ZoomHoldPixels,
        };
        // The canvases compared: the product's, and one per key-frame interval (LS_KEY_STEPS) and hold (LS_HOLD_STEPS); default
        // key 1, hold 0: the reader before round 15, each frame chained to the one before and a step of 0 taken as no motion.
        int[] holds = Array.ConvertAll((Environment.GetEnvironmentVariable("LS_HOLD_STEPS") ?? "0").Split(','), v => int.Parse(v, CultureInfo.InvariantCulture));
        int[] keys = Array.ConvertAll((Environment.GetEnvironmentVariable("LS_KEY_STEPS") ?? "1").Split(','), v => int.Parse(v, CultureInfo.InvariantCulture));
        var canvases = new List<(string Name, RegisteredCanvas Canvas)>
        {
            ("verify's first, chained", new RegisteredCanvas(w, h)),
            ("verify's second, key frames", new RegisteredCanvas(w, h, keyFrameSteps: RegisteredCanvas.KeyFrameSteps, holdSteps: RegisteredCanvas.HoldSteps)),
        };
        foreach (int kf in keys)
        foreach (int hold in holds)
            canvases.Add(($"key {kf}, hold {hold}", new RegisteredCanvas(w, h, keyFrameSteps: kf, holdSteps: hold)));
        var kinds = new Dictionary<TrackerStepKind, int>();
        Console.WriteLine("kept	source frame	truth dx	truth dy	read dx	read dy	kind	patches	coarse SNR	chain err x	chain err y");
        var map = FrameMap.Identity;
        var truths = new List<(double X, double Y)>();
        foreach (byte[] buf in GrayFrames.Read(copy, w, h, 1e6, $"select='not(mod(n\\,{step}))'"))
        {
            if (frames.Count >= 120) break;
            int k = frames.Count, f = firstFrame + k * step;
            var (s, tx, ty) = tracker.Step(buf);
            foreach (var (_, c) in canvases) c.Add(buf);
            frames.Add((byte[])buf.Clone());
            if (k > 0) map = map.Then(s, tx, ty);
            kinds[tracker.LastKind] = kinds.GetValueOrDefault(tracker.LastKind) + 1;
            var t0 = truth[Math.Min(firstFrame, truth.Count - 1)];
            var t = truth[Math.Min(f, truth.Count - 1)];
            var tp = truth[Math.Min(Math.Max(firstFrame, f - step), truth.Count - 1)];
            (double X, double Y) tr = ((t.OffsetX - t0.OffsetX) * r, (t.OffsetY - t0.OffsetY) * r);
            truths.Add(tr);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{k}	{f}	{(t.OffsetX - tp.OffsetX) * r:0.00}	{(t.OffsetY - tp.OffsetY) * r:0.00}	{tx:0.00}	{ty:0.00}	{tracker.LastKind}	{tracker.LastSharpPatches}	{tracker.LastCoarseSnr:0.0}	{map.OffsetX - tr.X:0.00}	{map.OffsetY - tr.Y:0.00}"));
        }
        Console.WriteLine("# steps by kind: " + string.Join(", ", kinds.Select(p => $"{p.Key} {p.Value}")));
        foreach (var (name, c) in canvases)
        {
            using var owned = c;
            var (mean, valid) = c.Mean();
            Console.WriteLine($"# canvas, {name} ({c.Frames} frames, {c.Moved} moved, {c.Held} held, {c.Width}×{c.Height}, last map {c.LastMap}): "
                + Describe(RegisteredMarkSearch.Detect(mean, valid, c.Width, c.Height, c.FrameWidth, c.FrameHeight, key)));
        }
        var (tm, tv, tw, th) = ShiftedCanvas(frames, truths, w, h);
        Console.WriteLine($"# truth canvas ({frames.Count} frames, {tw}×{th}): " + Describe(RegisteredMarkSearch.Detect(tm, tv, tw, th, w, h, key)));
        return 0;
    }

    private static string Describe(RegisteredMarkReading? g) => g is null ? "no decode"
        : string.Create(CultureInfo.InvariantCulture, $"{g.MarkId}, {g.BitErrorsCorrected} bits corrected, z {g.ZScore:0.0}, shift margin {g.ShiftMargin:0.0}, rank {g.Rank}");

    /// <summary>Frames summed at their offsets (centred, content at X in the first frame is at X + offset) rounded to whole
    /// pixels, as <see cref="RegisteredCanvas"/> places a translated frame.</summary>
    private static (float[] Mean, bool[] Valid, int Width, int Height) ShiftedCanvas(List<byte[]> frames, List<(double X, double Y)> offsets, int w, int h)
    {
        int minX = int.MaxValue, minY = int.MaxValue, maxX = int.MinValue, maxY = int.MinValue;
        var ix = new int[frames.Count];
        var iy = new int[frames.Count];
        for (int k = 0; k < frames.Count; k++)
        {
            ix[k] = -(int)Math.Round(offsets[k].X);
            iy[k] = -(int)Math.Round(offsets[k].Y);
            (minX, minY, maxX, maxY) = (Math.Min(minX, ix[k]), Math.Min(minY, iy[k]), Math.Max(maxX, ix[k]), Math.Max(maxY, iy[k]));
        }
        int cw = maxX - minX + w, ch = maxY - minY + h;
        var sum = new float[cw * ch];
        var count = new int[cw * ch];
        for (int k = 0; k < frames.Count; k++)
            for (int y = 0; y < h; y++)
            {
                int o = (y + iy[k] - minY) * cw + ix[k] - minX;
                for (int x = 0; x < w; x++) { sum[o + x] += frames[k][y * w + x]; count[o + x]++; }
            }
        var mean = new float[cw * ch];
        var valid = new bool[cw * ch];
        for (int p = 0; p < mean.Length; p++) if (count[p] > 0) { mean[p] = sum[p] / count[p]; valid[p] = true; }
        return (mean, valid, cw, ch);
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
