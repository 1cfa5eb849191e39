using System.Diagnostics;
using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;

namespace LabelStamp.Benchmarks;

/// <summary>
/// Round 4 of issue 18: reads <see cref="GluedMark"/> (a tiled pattern that moves with the content's
/// global translation) from a file's frames. The frames the production detector would average (≤ 120,
/// evenly spread) are registered to the first one by chaining <see cref="TranslationEstimator"/> between
/// consecutive kept frames, and summed on a canvas that covers everything the pan showed; in canvas
/// coordinates the glued pattern stands still, so the canvas mean holds it unsmeared. Its position is
/// unknown (the embedder's accumulated offset at the excerpt's first frame), so it is found in two steps:
/// - the sub-cell phase, key-free: the phase (a sixth of a cell apart on each axis, 36 in all) at which
///   the cells' bump statistic has the most energy;
/// - the whole-cell shift, keyed but payload-free: for each of the cols × rows cyclic shifts, the cells'
///   signed values summed per coded bit, score = Σ_bit sum² (the ~7 cells of a bit add up coherently
///   only at the right shift, whatever the bit's value).
/// The best <see cref="Candidates"/> shifts are Viterbi-decoded and checked (CRC-32 + key nibble); each
/// decode is a candidate in the false-positive bound (phase and shift are chosen before any CRC is seen).
/// That search is the product's <see cref="RegisteredMarkSearch"/> (round 11 moved it there); this reader keeps the
/// bench's ways of building the canvas (the product builds it with <see cref="RegisteredCanvas"/>).
/// Two decodes of ffmpeg's output: the first finds the offsets, the second sums (memory stays one canvas).
/// Exploration code: not product code.
/// </summary>
public static class RegisteredMarkReader
{
    /// <summary>Shifts decoded per read: the bound is Candidates × 2⁻³⁶.</summary>
    public const int Candidates = RegisteredMarkSearch.Candidates;
    private const int MaxFrames = 120;

    public sealed record Canvas(float[] Mean, bool[] Valid, int Width, int Height, int FrameWidth, int FrameHeight,
        int Frames, int Moved, double SpanX, double SpanY, double EstimatorMsPerFrame)
    {
        /// <summary>The registration saw more than 1 % of zoom: the pattern's scale on the canvas is then
        /// unknown (the embedder's accumulated zoom at the first frame) and is searched.</summary>
        public bool Zoomed { get; init; }

        /// <summary>The last kept frame's map (the report's check on the registration's drift).</summary>
        public (double S, double X, double Y) LastMap { get; init; }
    }

    public sealed record Reading(MarkPayload Payload, int BitErrorsCorrected, double FalsePositiveProbability, double ZScore,
        int ShiftX, int ShiftY, double PhaseX, double PhaseY, double ShiftMargin, int Rank, double Scale);

    /// <param name="keyInterval">register against key frames this many source frames apart (<see cref="KeyFrameRegistration"/>; 0: round 4's chain).</param>
    /// <param name="phase">round 9: register by whole-frame phase correlation between consecutive kept frames (<see cref="PhaseCorrelationTracker"/>,
    /// translation only, every frame kept) instead of the patch estimator.</param>
    /// <param name="reduced">round 10: with <paramref name="phase"/>, register by <see cref="ReducedPhaseTracker"/> instead (1: translation,
    /// 2: translation + zoom).</param>
    private static readonly double ReaderDeadZone = double.TryParse(Environment.GetEnvironmentVariable("LS_READER_DEAD_ZONE"), System.Globalization.CultureInfo.InvariantCulture, out double z) ? z : ReducedPhaseTracker.DefaultDeadZone;

    public static Canvas Build(string path, bool similarity = false, int coastFrames = 0, int keyInterval = 0, bool dense = false, bool lenient = false, bool interpolate = false, bool strict = false, bool phase = false, double stillGain = 0, int reduced = 0)
    {
        var coast = new MotionCoast(coastFrames);
        var (w, h, frames) = Probe(path);
        int half = w * h > 1920 * 1088 ? 2 : 1; // 4K is read at half size: the grid is frame-relative
        int fw = w / half, fh = h / half;
        int step = Math.Max(1, (frames + MaxFrames - 1) / MaxFrames);
        var est = new TranslationEstimator(fw, fh, maxShift: Math.Min(fw / 4, 48 * step)) { Similarity = similarity };
        // Map reference (first kept frame) → frame k, centred coordinates: x = S·X + T.
        var maps = new List<(double S, double X, double Y)>();
        var fitted = new List<bool>();
        double sc = 1, ox = 0, oy = 0;
        int moved = 0;
        var sw = new Stopwatch();
        var keyed = keyInterval > 0
            ? new KeyFrameRegistration(fw, fh, (int)Math.Round((double)keyInterval / step), maxShiftPerFrame: 48 * step, similarity, dense, lenient) { Strict = strict }
            : null;
        var tracker = phase && reduced == 0 ? new PhaseCorrelationTracker(fw, fh) { StillGain = stillGain } : null;
        var cheap = phase && reduced > 0 ? new ReducedPhaseTracker(fw, fh) { FollowZoom = reduced == 2, DeadZone = ReaderDeadZone } : null;
        byte[]? previous = null;
        Decode(path, step, half, fw, fh, frame =>
        {
            if (cheap is not null)
            {
                sw.Start();
                var (st, tx, ty) = cheap.Step(frame);
                sw.Stop();
                if (maps.Count > 0 && (st != 1 || tx != 0 || ty != 0)) moved++;
                (sc, ox, oy) = (st * sc, st * ox + tx, st * oy + ty);
                maps.Add((sc, ox, oy));
                fitted.Add(true);
                return;
            }
            if (tracker is not null)
            {
                sw.Start();
                var (dx, dy) = tracker.Step(previous, frame);
                sw.Stop();
                (ox, oy) = (ox + dx, oy + dy);
                if (previous is not null && (dx != 0 || dy != 0)) moved++;
                previous ??= new byte[frame.Length];
                Buffer.BlockCopy(frame, 0, previous, 0, frame.Length);
                maps.Add((1, ox, oy));
                fitted.Add(true);
                return;
            }
            if (keyed is not null)
            {
                sw.Start();
                if (keyed.Advance(frame)) moved++;
                sw.Stop();
                maps.Add((keyed.Scale, keyed.OffsetX, keyed.OffsetY));
                fitted.Add(maps.Count == 1 || keyed.LastFitted);
                return;
            }
            sw.Start();
            var e = est.Estimate(frame);
            sw.Stop();
            if (coast.Apply(e) is { } m)
            {
                sc *= 1 + m.Zoom;
                ox = (1 + m.Zoom) * ox + m.Tx;
                oy = (1 + m.Zoom) * oy + m.Ty;
                moved++;
            }
            maps.Add((sc, ox, oy));
        });
        if (interpolate && keyed is not null) Interpolate(maps, fitted);
        bool zoomed = maps.Any(m => Math.Abs(m.S - 1) > 1e-6);
        // Footprints in reference coordinates: X = (x − T) / S for the frame's corners.
        double x0 = double.MaxValue, x1 = double.MinValue, y0 = double.MaxValue, y1 = double.MinValue;
        foreach (var (S, X, Y) in maps)
        {
            x0 = Math.Min(x0, (-fw / 2.0 - X) / S); x1 = Math.Max(x1, (fw / 2.0 - X) / S);
            y0 = Math.Min(y0, (-fh / 2.0 - Y) / S); y1 = Math.Max(y1, (fh / 2.0 - Y) / S);
        }
        // A canvas of at most 3 × 3 frames (a longer pan is cut at its ends).
        x0 = Math.Max(x0, -1.5 * fw); x1 = Math.Min(x1, 1.5 * fw); y0 = Math.Max(y0, -1.5 * fh); y1 = Math.Min(y1, 1.5 * fh);
        int left = (int)Math.Floor(x0), top = (int)Math.Floor(y0);
        int cw = (int)Math.Ceiling(x1) - left, ch = (int)Math.Ceiling(y1) - top;
        float[] sum = new float[cw * ch];
        int[] count = new int[cw * ch];
        int k = 0;
        Decode(path, step, half, fw, fh, frame =>
        {
            if (k >= maps.Count) return;
            // Round 6 ("s"): a frame whose map was not fitted is left off the canvas. Holding the previous
            // map misplaces it by the motion it was not measured with; leaving it off costs only its share
            // of the mean.
            if (strict && !interpolate && !fitted[k]) { k++; return; }
            var (S, TX, TY) = maps[k++];
            if (!zoomed)
            {
                // Frame pixel x is centred x + 0.5 − fw/2, reference X = that − T, canvas X − left − 0.5.
                int dx = -(int)Math.Round(TX) - left - fw / 2, dy = -(int)Math.Round(TY) - top - fh / 2;
                for (int y = 0; y < fh; y++)
                {
                    int cy = y + dy;
                    if ((uint)cy >= (uint)ch) continue;
                    for (int x = 0; x < fw; x++)
                    {
                        int cx = x + dx;
                        if ((uint)cx >= (uint)cw) continue;
                        sum[cy * cw + cx] += frame[y * fw + x];
                        count[cy * cw + cx]++;
                    }
                }
                return;
            }
            // Canvas pixel (cx, cy) is reference X = cx + left + 0.5; frame position x = S·X + T, bilinear.
            for (int cy = 0; cy < ch; cy++)
            {
                double fy = S * (cy + top + 0.5) + TY + fh / 2.0 - 0.5;
                if (fy < 0 || fy > fh - 1) continue;
                int iy = Math.Min((int)fy, fh - 2);
                float wy = (float)(fy - iy);
                for (int cx = 0; cx < cw; cx++)
                {
                    double fx = S * (cx + left + 0.5) + TX + fw / 2.0 - 0.5;
                    if (fx < 0 || fx > fw - 1) continue;
                    int ix = Math.Min((int)fx, fw - 2);
                    float wx = (float)(fx - ix);
                    int b = iy * fw + ix;
                    float v = (1 - wy) * ((1 - wx) * frame[b] + wx * frame[b + 1]) + wy * ((1 - wx) * frame[b + fw] + wx * frame[b + fw + 1]);
                    sum[cy * cw + cx] += v;
                    count[cy * cw + cx]++;
                }
            }
        });
        bool[] valid = new bool[sum.Length];
        for (int p = 0; p < sum.Length; p++)
        {
            valid[p] = count[p] > 0;
            if (valid[p]) sum[p] /= count[p];
        }
        double minS = maps.Min(m => m.S), maxS = maps.Max(m => m.S);
        return new Canvas(sum, valid, cw, ch, fw, fh, maps.Count, moved, x1 - x0, y1 - y0,
            sw.Elapsed.TotalMilliseconds / Math.Max(1, maps.Count)) { Zoomed = zoomed && maxS / minS > 1.01, LastMap = maps[^1] };
    }

    /// <summary>Round 5: a kept frame whose estimate failed holds the previous frame's map, which on a
    /// continuous zoom misplaces it by the frames' motion (the photo zoom's CRF 30 copy: 21 of 75 frames
    /// unfitted, the mark lost). The reader has every map before it sums, so such a run is replaced by
    /// the straight line between the fitted frames on either side (held after the last fitted one).</summary>
    private static void Interpolate(List<(double S, double X, double Y)> maps, List<bool> fitted)
    {
        int prev = -1;
        for (int k = 0; k < maps.Count; k++)
        {
            if (!fitted[k]) continue;
            if (prev >= 0 && k - prev > 1)
                for (int j = prev + 1; j < k; j++)
                {
                    double t = (double)(j - prev) / (k - prev);
                    var (a, b) = (maps[prev], maps[k]);
                    maps[j] = (a.S + t * (b.S - a.S), a.X + t * (b.X - a.X), a.Y + t * (b.Y - a.Y));
                }
            prev = k;
        }
    }

    /// <summary>Refine the scale in 0.25 % steps after the 2.5 % search (round 5).</summary>
    private static readonly bool FineScale = Environment.GetEnvironmentVariable("LS_FINE_SCALE") != "0";

    /// <summary>The search itself is the product's (<see cref="RegisteredMarkSearch"/>: phase and scale key-free, the
    /// whole-cell shift keyed, <see cref="Candidates"/> shifts decoded); this reader builds the canvas its own ways.</summary>
    public static Reading? Detect(Canvas canvas, MarkKey key) =>
        RegisteredMarkSearch.Detect(canvas.Mean, canvas.Valid, canvas.Width, canvas.Height, canvas.FrameWidth, canvas.FrameHeight, key,
            canvas.Zoomed, FineScale) is { } r
            ? new Reading(r.Payload, r.BitErrorsCorrected, r.FalsePositiveProbability, r.ZScore, r.ShiftX, r.ShiftY, r.PhaseX, r.PhaseY, r.ShiftMargin, r.Rank, r.Scale)
            : null;

    /// <summary>Per canvas cell at this phase: the product's statistic (<see cref="RegisteredMarkSearch"/>).</summary>
    internal static float[]? CellValues(Canvas cv, double cellX, double cellY, double phaseX, double phaseY, out int nx, out int ny) =>
        RegisteredMarkSearch.CellValues(cv.Mean, cv.Valid, cv.Width, cv.Height, cellX, cellY, phaseX, phaseY, out nx, out ny);

    internal static (int W, int H, int Frames) Probe(string path)
    {
        var psi = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries", "stream=width,height,nb_read_packets", "-of", "csv=p=0", path })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string[] f = p.StandardOutput.ReadToEnd().Trim().Split(',');
        p.WaitForExit();
        return (int.Parse(f[0], CultureInfo.InvariantCulture), int.Parse(f[1], CultureInfo.InvariantCulture), int.Parse(f[2], CultureInfo.InvariantCulture));
    }

    internal static void Decode(string path, int step, int half, int w, int h, Action<byte[]> onFrame)
    {
        var psi = new ProcessStartInfo("nice") { RedirectStandardOutput = true, UseShellExecute = false };
        string vf = $"select='not(mod(n\\,{step}))'" + (half > 1 ? $",scale={w}:{h}:flags=area" : "");
        foreach (string a in new[] { "-n", "10", "ffmpeg", "-nostdin", "-v", "error", "-i", path, "-map", "0:v:0", "-vf", vf, "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "gray", "-" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var src = p.StandardOutput.BaseStream;
        byte[] buf = new byte[w * h];
        while (true)
        {
            int got = 0;
            while (got < buf.Length)
            {
                int r = src.Read(buf, got, buf.Length - got);
                if (r == 0) break;
                got += r;
            }
            if (got < buf.Length) break;
            onFrame(buf);
        }
        p.WaitForExit();
    }
}
