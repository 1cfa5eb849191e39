using System.Globalization;
using System.Text;
using LabelStamp.Labels;
using LabelStamp.Marks.Video;

namespace LabelStamp.Benchmarks;

/// <summary>
/// Round 11 of issue 18: reads <see cref="GluedMark"/> with the frames registered on the mark itself, not only on the
/// attacked copy's motion chain. Round 10's reader (<see cref="RegisteredMarkReader"/> with <see cref="ReducedPhaseTracker"/>)
/// composes every kept frame's map from frame-to-frame steps, so a step the CRF 30 copy hides is lost for good: on the
/// render zoom's combined copy the chain ends at ×1.078 where the embedder drew ×1.21, and the canvas smears the pattern
/// towards the edges. Here the chain is used only over short spans:
/// - the kept frames are cut into blocks of <see cref="BlockFrames"/>; each block is summed on a frame-sized canvas in its
///   middle frame's coordinates through the chain's maps relative to that frame (a span of ± half a block, where the
///   chain's error is small);
/// - on that block canvas the pattern's own geometry is measured, key-free: the cell size (the embedder's scale at that
///   frame; searched only for the zoom variant) and the sub-cell phase at which the cells' bump statistic has the most energy
///   (<see cref="RegisteredMarkReader.CellValues"/>), refined by a parabola through the neighbouring phases. That is the
///   embedder's map at the block's middle frame modulo whole cells, measured absolutely, so its error does not accumulate;
/// - the whole cells are unwrapped from the previous measured block through the chain (the motion between two block centres
///   must be predicted to within half a cell; <see cref="CarryResidual"/> adds what the chain missed before), and a block
///   whose phase peak stands less than <see cref="MinContrast"/> over the other phases is not used;
/// - where a block was not measured and the tracker's gate stayed shut for most of its steps, a constant translation per kept
///   frame is searched on the mark (the block canvas with the most phase contrast), and every block is measured again;
/// - every kept frame's map is then the chain's motion from the measured block centres on either side, blended linearly
///   in time so that it meets both measurements, and the frames are summed on one canvas in the embedder's own anchor
///   coordinates, where the pattern has scale 1; <see cref="RegisteredMarkReader.Detect"/> reads it (phase, keyed
///   whole-cell shift, best <see cref="RegisteredMarkReader.Candidates"/> shifts decoded).
/// False detections: the block measurements are key-free and see no CRC; the keyed part is the same shift search and the same
/// two decodes as round 10's reader, so the bound stays 2 · 2⁻³⁶ per key. Exploration code: not product code.
/// </summary>
public static class MarkRegisteredReader
{
    private const int MaxFrames = 120, Phases = 6;

    /// <summary>Reduced samples per cell on the block canvases (LS_CELL_SAMPLES overrides; the sin² bump needs a few).</summary>
    private static readonly int CellSamples = int.TryParse(Environment.GetEnvironmentVariable("LS_CELL_SAMPLES"), out int cs) && cs > 1 ? cs : 5;

    /// <summary>Kept frames per block (LS_BLOCK_FRAMES overrides for the bench's sweep).</summary>
    public static readonly int BlockFrames = int.TryParse(Environment.GetEnvironmentVariable("LS_BLOCK_FRAMES"), out int b) && b > 1 ? b : 10;

    /// <summary>A block's best phase energy over the median of its 36 phases, minus 1, below which the block is not used
    /// (LS_MIN_CONTRAST overrides).</summary>
    public static readonly double MinContrast = double.TryParse(Environment.GetEnvironmentVariable("LS_MIN_CONTRAST"), CultureInfo.InvariantCulture, out double c) ? c : 0.2;

    /// <summary>The same for the seed block, searched over the whole scale range (LS_SEED_CONTRAST overrides).</summary>
    public static readonly double SeedContrast = double.TryParse(Environment.GetEnvironmentVariable("LS_SEED_CONTRAST"), CultureInfo.InvariantCulture, out double sc) ? sc : 0.3;

    /// <summary>The canvas in anchor coordinates, and what the registration did (for the report).</summary>
    public sealed record Registration(RegisteredMarkReader.Canvas Canvas, int Blocks, int Measured, double TrackerMsPerFrame,
        double BlockMsPerFrame, double CanvasMsPerFrame, (double S, double X, double Y) ChainLast, (double S, double X, double Y) MarkLast, string Trace);

    /// <summary>A similarity of centred coordinates, x = S·u + (X, Y).</summary>
    private readonly record struct Map(double S, double X, double Y)
    {
        public static Map Identity => new(1, 0, 0);

        /// <summary>This after <paramref name="g"/>: u → this(g(u)).</summary>
        public Map After(Map g) => new(S * g.S, S * g.X + X, S * g.Y + Y);

        public Map Inverse() => new(1 / S, -X / S, -Y / S);
    }

    /// <param name="zoom">the embedder followed zoom (variant <c>oz</c>): the cell size is searched per block; otherwise it is the frame's own.</param>
    public static Registration Build(string path, bool zoom)
    {
        var (w, h, frames) = RegisteredMarkReader.Probe(path);
        int half = w * h > 1920 * 1088 ? 2 : 1;
        int fw = w / half, fh = h / half;
        int step = Math.Max(1, (frames + MaxFrames - 1) / MaxFrames);

        // 1. The content tracker's steps, reference = first kept frame.
        var tracker = new ReducedPhaseTracker(fw, fh) { FollowZoom = zoom };
        var steps = new List<Map>();
        double t0 = CpuClock.Thread();
        RegisteredMarkReader.Decode(path, step, half, fw, fh, frame =>
        {
            var (st, tx, ty) = tracker.Step(frame);
            steps.Add(new Map(st, tx, ty));
        });
        double trackerCpu = CpuClock.Thread() - t0;
        int n = steps.Count;
        if (n == 0) throw new InvalidOperationException("no frames decoded: " + path);

        // 2. The kept frames box-reduced to a few samples a cell (the pattern is a sin² bump per cell; the block searches run here).
        var (cols, rows) = VideoMarkLayout.Grid(fw, fh);
        double cellW = (double)fw / cols, cellH = (double)fh / rows;
        int r = Math.Max(1, (int)(Math.Min(cellW, cellH) / CellSamples));
        int rw = fw / r, rh = fh / r;
        var small = new float[n][];
        int k = 0;
        double t1 = CpuClock.Thread();
        RegisteredMarkReader.Decode(path, step, half, fw, fh, frame =>
        {
            if (k < n) small[k++] = ReducedBlockCanvas.BoxReduce(frame, fw, rw, rh, r);
        });

        // 3. Block canvases in their middle frame's coordinates through the chain relative to that frame, and the pattern's
        // geometry on each.
        int bf = BlockFrames, blocks = (n + bf - 1) / bf;
        var centres = new int[blocks];
        for (int blk = 0; blk < blocks; blk++) centres[blk] = (blk * bf + Math.Min(n, blk * bf + bf) - 1) / 2;
        var trace = new StringBuilder();
        var chain = Compose(steps);
        var measured = new Map?[blocks];
        var canvases = new RegisteredMarkReader.Canvas[blocks];
        MeasureAll();

        // 4. Where a block was not measured and the tracker's gate stayed shut for most of it (a dark or flat copy), its motion is
        // searched on the mark: a constant translation per kept frame, the one whose block canvas shows the pattern with the most
        // contrast (x first, then y); if any block found one, the chain takes it and every block is measured again.
        bool changed = false;
        for (int blk = 0; blk < blocks; blk++)
        {
            if (measured[blk] is not null) continue;
            int start = blk * bf, end = Math.Min(n, start + bf), first = Math.Max(1, start);
            int still = 0;
            for (int i = first; i < end; i++) if (steps[i] == Map.Identity) still++;
            if (end - first < 2 || 2 * still < end - first) continue;
            var (vx, vy, vc) = SearchVelocity(small, start, end, centres[blk], rw, rh, r, fw, fh, cellW / r, cellH / r);
            trace.Append(CultureInfo.InvariantCulture, $" [{blk} shut {still}: v ({vx:0.00}, {vy:0.00}) c {vc:0.00}{(vc >= SeedContrast ? "" : " off")}]");
            if (vc < SeedContrast) continue;
            // The block's steps, and the step into it from the previous block's last frame.
            for (int i = first; i < end; i++) steps[i] = new Map(1, vx, vy);
            changed = true;
        }
        if (changed)
        {
            chain = Compose(steps);
            Array.Clear(measured);
            MeasureAll();
        }

        // The seed: the first block whose pattern stands out over the whole scale range (the embedder's zoom at the excerpt's
        // start is unknown); its whole cells are taken from the chain with the first kept frame as the anchor (the keyed
        // shift search resolves the rest). From the seed forward and backward, each block is searched around the previous
        // measurement carried by the chain.
        void MeasureAll()
        {
            for (int blk = 0; blk < blocks; blk++)
            {
                int start = blk * bf, end = Math.Min(n, start + bf), centre = centres[blk];
                canvases[blk] = ReducedBlockCanvas.Sum(small, start, end, f => { var q = chain[f].After(chain[centre].Inverse()); return (q.S, q.X, q.Y); }, rw, rh, r, fw, fh);
            }
            int seed = -1;
            for (int i = 0; i < blocks && seed < 0; i++)
                if (MeasureBlock(i, chain[centres[i]], wide: true, SeedContrast)) seed = i;
            if (seed < 0) return;
            foreach (int dir in (ReadOnlySpan<int>)[1, -1])
            {
                // Backward from the seed, the block after it (measured going forward) gives the first residual.
                int lastMeasured = seed, before = seed - dir >= 0 && seed - dir < blocks && measured[seed - dir] is not null ? seed - dir : -1;
                for (int i = seed + dir; i >= 0 && i < blocks; i += dir)
                {
                    var predicted = Carry(lastMeasured, i);
                    if (CarryResidual && before >= 0)
                    {
                        // What the chain missed between the last two measured blocks, per kept frame, is assumed missed again
                        // (a copy where the tracker's gate stays shut through a zoom: the chain holds still, the offset moves
                        // about a cell a block, and carrying the last measurement alone unwraps to the wrong cell).
                        var carried = Carry(before, lastMeasured);
                        var m = measured[lastMeasured]!.Value;
                        double t = (double)(centres[i] - centres[lastMeasured]) / (centres[lastMeasured] - centres[before]);
                        predicted = new Map(predicted.S + t * (m.S - carried.S), predicted.X + t * (m.X - carried.X), predicted.Y + t * (m.Y - carried.Y));
                    }
                    if (MeasureBlock(i, predicted, wide: false, MinContrast)) (before, lastMeasured) = (lastMeasured, i);
                }
            }

            // Block a's measurement carried to block b's centre by the chain.
            Map Carry(int a, int b) => chain[centres[b]].After(chain[centres[a]].Inverse()).After(measured[a]!.Value);
        }

        bool MeasureBlock(int blk, Map predicted, bool wide, double threshold)
        {
            var canvas = canvases[blk];
            double[] scales = !zoom ? [1.0] : wide ? Wide() : Around(predicted.S);
            var (s, phx, phy, contrast) = Measure(canvas, cellW / r, cellH / r, scales);
            if (zoom)
            {
                // The grid leaves up to half a step of scale error (0.25 % ≈ 2 px at the far edge of a 1080p frame); refine.
                double q = wide ? 1.005 : 1.0015;
                double[] fine = wide ? [s / q / q, s / q, s * q, s * q * q] : [s / q, s * q];
                var f = Measure(canvas, cellW / r, cellH / r, [s, .. fine]);
                (s, phx, phy) = (f.Scale, f.PhaseX, f.PhaseY);
            }
            phx *= r;
            phy *= r;
            // The phase gives the map's offset modulo one cell: boundaries at ξ = S(n·cell − W/2) + O + W/2.
            double ox = phx - fw / 2.0 + s * fw / 2.0, oy = phy - fh / 2.0 + s * fh / 2.0;
            ox += s * cellW * Math.Round((predicted.X - ox) / (s * cellW));
            oy += s * cellH * Math.Round((predicted.Y - oy) / (s * cellH));
            bool used = contrast >= threshold;
            var c = chain[centres[blk]];
            trace.Append(CultureInfo.InvariantCulture, $" [{blk}{(wide ? " wide" : "")}: ×{s:0.0000} ({ox:0.0}, {oy:0.0}) c {contrast:0.00}{(used ? "" : " off")}; chain ×{c.S:0.0000} ({c.X:0.0}, {c.Y:0.0})]");
            if (used) measured[blk] = new Map(s, ox, oy);
            return used;
        }
        double blockCpu = CpuClock.Thread() - t1;

        // 3. Each kept frame's anchor → frame map: the chain from the measured centres on either side, blended in time.
        var maps = new Map[n];
        int measuredCount = 0;
        for (int i = 0; i < blocks; i++) if (measured[i] is not null) measuredCount++;
        for (int f = 0; f < n; f++)
        {
            int a = -1, d = -1;
            for (int i = 0; i < blocks; i++)
            {
                if (measured[i] is null) continue;
                if (centres[i] <= f) a = i;
                if (centres[i] >= f && d < 0) d = i;
            }
            Map? pa = a >= 0 ? chain[f].After(chain[centres[a]].Inverse()).After(measured[a]!.Value) : null;
            Map? pd = d >= 0 ? chain[f].After(chain[centres[d]].Inverse()).After(measured[d]!.Value) : null;
            if (pa is { } x && pd is { } y && centres[d] > centres[a])
            {
                double t = (double)(f - centres[a]) / (centres[d] - centres[a]);
                maps[f] = new Map(x.S + t * (y.S - x.S), x.X + t * (y.X - x.X), x.Y + t * (y.Y - x.Y));
            }
            else maps[f] = pa ?? pd ?? chain[f];
        }

        // 4. One canvas in anchor coordinates (u = (x − O) / S for the frames' corners), at most 3 × 3 frames.
        double x0 = double.MaxValue, x1 = double.MinValue, y0 = double.MaxValue, y1 = double.MinValue;
        foreach (var m in maps)
        {
            x0 = Math.Min(x0, (-fw / 2.0 - m.X) / m.S); x1 = Math.Max(x1, (fw / 2.0 - m.X) / m.S);
            y0 = Math.Min(y0, (-fh / 2.0 - m.Y) / m.S); y1 = Math.Max(y1, (fh / 2.0 - m.Y) / m.S);
        }
        x0 = Math.Max(x0, -1.5 * fw); x1 = Math.Min(x1, 1.5 * fw); y0 = Math.Max(y0, -1.5 * fh); y1 = Math.Min(y1, 1.5 * fh);
        int left = (int)Math.Floor(x0), top = (int)Math.Floor(y0);
        int cw = (int)Math.Ceiling(x1) - left, ch = (int)Math.Ceiling(y1) - top;
        float[] total = new float[cw * ch];
        int[] totalCount = new int[cw * ch];
        k = 0;
        double t2 = CpuClock.Thread();
        RegisteredMarkReader.Decode(path, step, half, fw, fh, frame =>
        {
            if (k < n) Accumulate(frame, fw, fh, maps[k++], total, totalCount, cw, ch, left, top);
        });
        bool[] valid = new bool[total.Length];
        for (int p = 0; p < total.Length; p++)
        {
            valid[p] = totalCount[p] > 0;
            if (valid[p]) total[p] /= totalCount[p];
        }
        double canvasCpu = CpuClock.Thread() - t2;
        var result = new RegisteredMarkReader.Canvas(total, valid, cw, ch, fw, fh, n, measuredCount, x1 - x0, y1 - y0, trackerCpu * 1000 / n)
        {
            // With no block measured the maps are the chain's, the anchor is the first kept frame, and the pattern's scale on the
            // canvas is the embedder's zoom there: searched, as round 10's reader does.
            Zoomed = measuredCount == 0 && zoom && MaxOverMin(chain) > 1.01,
            LastMap = (maps[^1].S, maps[^1].X, maps[^1].Y),
        };
        return new Registration(result, blocks, measuredCount, trackerCpu * 1000 / n, blockCpu * 1000 / n, canvasCpu * 1000 / n,
            (chain[^1].S, chain[^1].X, chain[^1].Y), (maps[^1].S, maps[^1].X, maps[^1].Y), trace.ToString());
    }

    private static List<Map> Compose(List<Map> steps)
    {
        var chain = new List<Map>(steps.Count);
        var acc = Map.Identity;
        foreach (var st in steps)
        {
            acc = st.After(acc);
            chain.Add(acc);
        }
        return chain;
    }

    /// <summary>LS_CARRY_RESIDUAL=1: also carry what the chain missed between the last two measured blocks into the next
    /// prediction. Off: it fixed the photo zoom's CRF 30 copy (66 → 2 bits corrected) but lost the render zoom's (1 bit →
    /// miss) — where the chain sees half the motion between blocks, the two predictions are equally far from the truth, and
    /// the whole cell is a coin toss either way (bench/VIDEO.md, round 11).</summary>
    private static readonly bool CarryResidual = Environment.GetEnvironmentVariable("LS_CARRY_RESIDUAL") == "1";

    private static double MaxOverMin(List<Map> maps)
    {
        double lo = double.MaxValue, hi = double.MinValue;
        foreach (var m in maps) { lo = Math.Min(lo, m.S); hi = Math.Max(hi, m.S); }
        return hi / lo;
    }

    /// <summary>A block the tracker left still: the translation per kept frame (full-resolution px) whose block canvas shows the
    /// pattern with the most contrast, on a grid of 0.15 reduced samples up to ± 2.5 (≈ ± 10 px a kept frame at 720p); x first
    /// with y = 0, then y at that x.</summary>
    private static (double Vx, double Vy, double Contrast) SearchVelocity(float[][] small, int start, int end, int centre, int rw, int rh, int r, int fw, int fh, double cellX, double cellY)
    {
        const double Grid = 0.15, Range = 2.5;
        double bestX = 0, bestY = 0, best = double.MinValue;
        for (int axis = 0; axis < 2; axis++)
        {
            double fixedX = bestX;
            for (double v = -Range; v <= Range + 1e-9; v += Grid)
            {
                double vx = axis == 0 ? v * r : fixedX, vy = axis == 0 ? 0 : v * r;
                var canvas = ReducedBlockCanvas.Sum(small, start, end, f => (1.0, vx * (f - centre), vy * (f - centre)), rw, rh, r, fw, fh);
                var (_, _, _, c) = Measure(canvas, cellX, cellY, [1.0]);
                if (c > best) (best, bestX, bestY) = (c, vx, vy);
            }
        }
        return (bestX, bestY, best);
    }

    /// <summary>The first measured block's scale is unknown (the embedder's zoom at the excerpt's start): 0.85–1.32 in 2 % steps,
    /// then ± 0.5 % and 1 % around the best.</summary>
    private static double[] Wide()
    {
        var s = new List<double>();
        for (double v = 0.85; v <= 1.32; v *= 1.02) s.Add(v);
        return [.. s];
    }

    /// <summary>Later blocks: ± 3 % of the prediction in 0.75 % steps (the chain loses at most ≈ 1.7 % of zoom over 16 kept frames,
    /// round 10's render zoom).</summary>
    private static double[] Around(double predicted)
    {
        double[] s = new double[9];
        for (int i = 0; i < s.Length; i++) s[i] = predicted * Math.Pow(1.0075, i - 4);
        return s;
    }

    /// <summary>Frame → canvas through <paramref name="map"/> (canvas pixel at centred position u = c + origin + 0.5 shows
    /// frame position S·u + T), bilinear, summed with a count.</summary>
    private static void Accumulate(byte[] frame, int fw, int fh, Map map, float[] sum, int[] count, int cw, int ch, double originX, double originY)
    {
        double S = map.S;
        for (int cy = 0; cy < ch; cy++)
        {
            double fy = S * (cy + originY + 0.5) + map.Y + fh / 2.0 - 0.5;
            if (fy < 0 || fy > fh - 1) continue;
            int iy = Math.Min((int)fy, fh - 2);
            float wy = (float)(fy - iy);
            double fx0 = S * (originX + 0.5) + map.X + fw / 2.0 - 0.5;
            int row = cy * cw;
            for (int cx = 0; cx < cw; cx++)
            {
                double fx = fx0 + S * cx;
                if (fx < 0 || fx > fw - 1) continue;
                int ix = Math.Min((int)fx, fw - 2);
                float wx = (float)(fx - ix);
                int b = iy * fw + ix;
                float v = (1 - wy) * ((1 - wx) * frame[b] + wx * frame[b + 1]) + wy * ((1 - wx) * frame[b + fw] + wx * frame[b + fw + 1]);
                sum[row + cx] += v;
                count[row + cx]++;
            }
        }
    }

    /// <summary>The scale and sub-cell phase (in the canvas's samples) with the most cell energy, and how far that energy stands over
    /// the median of the 36 phases at that scale (0: no peak). The phase is refined by a parabola through the neighbouring phases
    /// on each axis (the energy is periodic in the phase).</summary>
    private static (double Scale, double PhaseX, double PhaseY, double Contrast) Measure(RegisteredMarkReader.Canvas canvas, double cellX, double cellY, double[] scales)
    {
        double bestE = double.MinValue, bestScale = 1, contrast = 0, phx = 0, phy = 0;
        double[] e = new double[Phases * Phases];
        foreach (double scale in scales)
        {
            double cx = cellX * scale, cy = cellY * scale;
            for (int j = 0; j < Phases; j++)
            for (int i = 0; i < Phases; i++)
            {
                var cells = RegisteredMarkReader.CellValues(canvas, cx, cy, i * cx / Phases, j * cy / Phases, out _, out _);
                double sum = 0;
                int m = 0;
                if (cells is not null) foreach (float v in cells) if (!float.IsNaN(v)) { sum += v * v; m++; }
                e[j * Phases + i] = m > 0 ? sum / m : 0;
            }
            int best = 0;
            for (int p = 1; p < e.Length; p++) if (e[p] > e[best]) best = p;
            if (e[best] <= bestE) continue;
            bestE = e[best];
            bestScale = scale;
            double[] sorted = (double[])e.Clone();
            Array.Sort(sorted);
            double median = sorted[sorted.Length / 2];
            contrast = median > 0 ? e[best] / median - 1 : 0;
            int bi = best % Phases, bj = best / Phases;
            double dx = Vertex(e[bj * Phases + (bi + Phases - 1) % Phases], e[best], e[bj * Phases + (bi + 1) % Phases]);
            double dy = Vertex(e[(bj + Phases - 1) % Phases * Phases + bi], e[best], e[(bj + 1) % Phases * Phases + bi]);
            phx = (bi + dx) * cx / Phases;
            phy = (bj + dy) * cy / Phases;
        }
        return (bestScale, phx, phy, contrast);
    }

    /// <summary>The vertex of the parabola through (−1, a), (0, b), (1, c), within ± ½.</summary>
    private static double Vertex(double a, double b, double c)
    {
        double den = a - 2 * b + c;
        return den < 0 ? Math.Clamp(0.5 * (a - c) / den, -0.5, 0.5) : 0;
    }
}
