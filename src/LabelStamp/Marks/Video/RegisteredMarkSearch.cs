using LabelStamp.Labels;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Marks.Video;

/// <summary>
/// Reads the content-locked mark (<see cref="ContentLockedMarkEmbedder"/>) from a canvas: the mean of a file's frames
/// registered to its first kept frame (<see cref="RegisteredCanvas"/>), on which the glued pattern stands still. Where
/// the tile sits is unknown (the embedder's accumulated offset at the excerpt's first frame), so it is found in two
/// steps before any payload is seen:
/// - the sub-cell phase (and, on a canvas whose frames zoomed, the scale), key-free: the phase, a sixth of a cell apart
///   on each axis, at which the cells' bump statistic has the most energy;
/// - the whole-cell shift, keyed but payload-free: for each of the cols × rows cyclic shifts, the cells' signed values
///   summed per coded bit, score = Σ_bit sum² (a bit's ~7 cells add up coherently only at the right shift, whatever its
///   value).
/// The best <see cref="Candidates"/> shifts are Viterbi-decoded and checked (CRC-32 + key nibble); each decode is a
/// candidate in the false-positive bound, <see cref="Candidates"/> · 2⁻³⁶.
/// </summary>
public static class RegisteredMarkSearch
{
    /// <summary>Shifts decoded per read: the bound is Candidates × 2⁻³⁶.</summary>
    public const int Candidates = 2;

    /// <summary>Phases tried per axis, a sixth of a cell apart (a sixth of a cell off costs ≈ 1 − cos²(π/12) of the bump).</summary>
    private const int Phases = 6;

    /// <summary>Reads the mark on a registered canvas. <paramref name="mean"/> and <paramref name="valid"/> are
    /// width × height (row-major); the frames were frameWidth × frameHeight (the grid comes from their aspect ratio).
    /// <paramref name="zoomed"/>: the registration saw zoom, so the tile's scale on the canvas is searched (2.5 % steps
    /// over ±25 %, refined in 0.25 % steps when <paramref name="fineScale"/>).</summary>
    public static RegisteredMarkReading? Detect(float[] mean, bool[] valid, int width, int height, int frameWidth, int frameHeight,
        MarkKey key, bool zoomed = false, bool fineScale = true) =>
        Detect(mean, valid, width, height, frameWidth, frameHeight, key, zoomed, fineScale, prefilter: true);

    /// <summary><see cref="Detect(float[], bool[], int, int, int, int, MarkKey, bool, bool)"/>; <paramref name="prefilter"/>
    /// false reads the canvas as it is: one already through <see cref="Prefilter"/> (a verifier reading it under several
    /// keys), or the raw mean as the search read it before round 19 (the benchmarks compare the two).</summary>
    internal static RegisteredMarkReading? Detect(float[] mean, bool[] valid, int width, int height, int frameWidth, int frameHeight,
        MarkKey key, bool zoomed, bool fineScale, bool prefilter)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(valid);
        ArgumentNullException.ThrowIfNull(key);
        if (width < 1 || height < 1 || mean.Length < width * height || valid.Length < width * height)
            throw new ArgumentException("canvas smaller than width × height", nameof(mean));
        if (Math.Min(frameWidth, frameHeight) < VideoMarkLayout.MinimumSide / 2) return null;
        var (cols, rows) = VideoMarkLayout.Grid(frameWidth, frameHeight);
        var layout = VideoMarkLayout.For(key, frameWidth, frameHeight);
        double baseX = (double)frameWidth / cols, baseY = (double)frameHeight / rows;
        var canvas = new Canvas(prefilter ? Prefilter(mean, valid, width, height, frameWidth, frameHeight) : mean, valid, width, height);

        // 1. Scale (only when the frames zoomed) and phase, key-free. The best phase's cell values are kept, not computed
        // again (a pass over a 1080p pan's canvas, six phases at once, costs ≈ 57 ms; bench/VIDEO.md round 16).
        double bestE = double.MinValue, bpx = 0, bpy = 0, bestScale = 1;
        float[]? val = null;
        int nx = 0, ny = 0;
        if (zoomed)
        {
            for (int i = -10; i <= 12; i++) TryScale(Math.Pow(1.025, i));
            if (fineScale)
            {
                // The 2.5 % grid leaves up to 1.25 % of scale error, ≈ 0.4 cell at the edge of a 540p canvas (32 cells
                // from the centre); refine in 0.25 % steps around the coarse pick.
                double coarse = bestScale;
                for (int s = -5; s <= 5; s++)
                    if (s != 0) TryScale(coarse * Math.Pow(1.0025, s));
            }
        }
        else TryScale(1.0);

        // The mean cell energy at every phase of one scale; keeps the best scale and phase seen. A row's six phases are
        // computed in one pass over the canvas (round 16) and judged in the order they always were.
        void TryScale(double scale)
        {
            double cellX = baseX * scale, cellY = baseY * scale;
            Span<double> pxs = stackalloc double[Phases];
            for (int i = 0; i < Phases; i++) pxs[i] = i * cellX / Phases;
            var nxs = new int[Phases];
            for (int j = 0; j < Phases; j++)
            {
                double py = j * cellY / Phases;
                var row = CellValues(canvas, cellX, cellY, pxs, py, nxs, out int cny);
                for (int i = 0; i < Phases; i++)
                {
                    if (row[i] is not { } cells) continue;
                    double e = 0;
                    int n = 0;
                    foreach (var v in cells) if (!float.IsNaN(v)) { e += v * v; n++; }
                    e /= Math.Max(1, n);
                    if (e > bestE) { bestE = e; bpx = pxs[i]; bpy = py; bestScale = scale; (val, nx, ny) = (cells, nxs[i], cny); }
                }
            }
        }
        if (val is null) return null;

        // Robust scale and clip, as the static detector.
        int finite = 0;
        foreach (float v in val) if (!float.IsNaN(v)) finite++;
        if (finite < PayloadCodec.CodedBits) return null;
        float[] abs = new float[finite];
        for (int c = 0, k = 0; c < val.Length; c++) if (!float.IsNaN(val[c])) abs[k++] = Math.Abs(val[c]);
        Array.Sort(abs);
        float sigma = abs[abs.Length / 2] / 0.6745f;
        if (!(sigma > 1e-9f)) return null;
        var cx = new int[finite];
        var cy = new int[finite];
        var cv = new float[finite];
        int m = 0;
        for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++)
        {
            float v = val[j * nx + i];
            if (float.IsNaN(v)) continue;
            (cx[m], cy[m], cv[m]) = (i, j, Math.Clamp(v / sigma, -VideoMarkDetector.Clip, VideoMarkDetector.Clip));
            m++;
        }

        // 2. Whole-cell shift (keyed, payload-free). Canvas cell (i, j) carries tile cell ((i + sx) mod cols, (j + sy) mod rows).
        var bit = layout.CellBit;
        var sign = layout.CellSign;
        double[] soft = new double[PayloadCodec.CodedBits];
        var scores = new List<(double Score, int Sx, int Sy)>(cols * rows);
        // A shift's tile row and column of each canvas row and column, looked up once per shift instead of two remainders
        // per cell and shift (2,304 shifts × a pan canvas's thousands of cells).
        int[] tileRow = new int[ny], tileCol = new int[nx];
        for (int sy = 0; sy < rows; sy++)
        {
            for (int j = 0; j < ny; j++) tileRow[j] = ((j + sy) % rows) * cols;
            for (int sx = 0; sx < cols; sx++)
            {
                for (int i = 0; i < nx; i++) tileCol[i] = (i + sx) % cols;
                Array.Clear(soft);
                for (int k = 0; k < m; k++)
                {
                    int p = tileRow[cy[k]] + tileCol[cx[k]];
                    soft[bit[p]] += cv[k] * sign[p];
                }
                double s = 0;
                foreach (double b in soft) s += b * b;
                scores.Add((s, sx, sy));
            }
        }
        scores.Sort((a, b) => b.Score.CompareTo(a.Score));
        double margin = ShiftMargin(scores);

        // 3. Decode the best shifts.
        double fp = FalsePositiveBound.ComputeWithKeyNibble(Candidates);
        if (!FalsePositiveBound.Acceptable(fp)) return null;
        for (int r = 0; r < Candidates && r < scores.Count; r++)
        {
            var (_, sx, sy) = scores[r];
            float[] bits = new float[PayloadCodec.CodedBits];
            for (int k = 0; k < m; k++)
            {
                int p = ((cy[k] + sy) % rows) * cols + (cx[k] + sx) % cols;
                bits[bit[p]] += cv[k] * sign[p];
            }
            var decoded = PayloadCodec.Decode(bits);
            if (decoded is null || decoded.Payload.KeyNibble != MarkPayload.KeyNibbleOf(key)) continue;
            sbyte[] coded = PayloadCodec.Encode(decoded.Payload);
            double dot = 0, sq = 0;
            for (int k = 0; k < m; k++)
            {
                int p = ((cy[k] + sy) % rows) * cols + (cx[k] + sx) % cols;
                dot += cv[k] * sign[p] * coded[bit[p]];
                sq += cv[k] * cv[k];
            }
            return new RegisteredMarkReading(decoded.Payload, decoded.BitErrorsCorrected, fp, sq > 0 ? dot / Math.Sqrt(sq) : 0, sx, sy, bpx, bpy, margin, r, bestScale);
        }
        return null;
    }

    /// <summary>A canvas's mean through the readers' prefilter, at the cell size of frames of frameWidth × frameHeight (the
    /// same for every key).</summary>
    internal static float[] Prefilter(float[] mean, bool[] valid, int width, int height, int frameWidth, int frameHeight) =>
        LocalContrast.Normalise(mean, valid, width, height, (double)frameWidth / VideoMarkLayout.Grid(frameWidth, frameHeight).Cols);

    /// <summary>The best shift's score over the median of the rest (those not decoded), in robust SDs of the rest.</summary>
    private static double ShiftMargin(List<(double Score, int Sx, int Sy)> sorted)
    {
        int n = sorted.Count - Candidates;
        if (n < 1) return 0;
        double[] rest = new double[n];
        for (int i = 0; i < n; i++) rest[i] = sorted[Candidates + i].Score;
        Array.Sort(rest);
        double med = rest[n / 2];
        double[] dev = new double[n];
        for (int i = 0; i < n; i++) dev[i] = Math.Abs(rest[i] - med);
        Array.Sort(dev);
        double mad = dev[n / 2] / 0.6745;
        return mad > 0 ? (sorted[0].Score - med) / mad : 0;
    }

    private readonly record struct Canvas(float[] Mean, bool[] Valid, int Width, int Height);

    /// <summary>One cell's sums at one phase: sin²-weighted values and their weights, plain values, texture, pixels.</summary>
    private struct CellSums
    {
        public double WeightedSum, Weights, Plain, Texture;
        public int Count;
    }

    /// <summary>Per canvas cell at each column phase and the row phase, in one pass (<see cref="CellValues(Canvas, double, double, ReadOnlySpan{double}, double, int[], out int)"/>;
    /// the benchmarks time it).</summary>
    internal static float[]?[] CellValues(float[] mean, bool[] valid, int width, int height, double cellX, double cellY, ReadOnlySpan<double> phasesX,
        double phaseY, int[] nx, out int ny) => CellValues(new Canvas(mean, valid, width, height), cellX, cellY, phasesX, phaseY, nx, out ny);

    /// <summary>One row's run of a cell's columns added to its sums, column by column in the sums' own registers (the
    /// order a pixel-by-pixel pass adds them in); an uncovered column adds exact zeros.</summary>
    private static void AddRun(ref CellSums cell, float wy, ReadOnlySpan<float> weights, ReadOnlySpan<float> covered, ReadOnlySpan<float> values,
        ReadOnlySpan<double> plain, ReadOnlySpan<double> texture)
    {
        double weighted = cell.WeightedSum, weightSum = cell.Weights, plainSum = cell.Plain, textureSum = cell.Texture;
        for (int x = 0; x < weights.Length; x++)
        {
            float wxy = wy * weights[x] * covered[x];
            weighted += wxy * values[x];
            weightSum += wxy;
            plainSum += plain[x];
            textureSum += texture[x];
        }
        (cell.WeightedSum, cell.Weights, cell.Plain, cell.Texture) = (weighted, weightSum, plainSum, textureSum);
    }

    /// <summary>The cell a canvas column (or row) <paramref name="i"/> falls in at this phase and cell size, and its sin² weight
    /// there (the bump's shape: 0 at the cell's edges, 1 at its centre).</summary>
    private static (int Cell, float Weight) CellAt(int i, double phase, double cell)
    {
        double q = (i + 0.5 - phase) / cell + 1;
        int c = (int)Math.Floor(q);
        double s = Math.Sin(Math.PI * (q - c));
        return (c, (float)(s * s));
    }

    /// <summary>Per canvas cell at this phase (the benchmarks' readers measure phases and scales with it too).</summary>
    internal static float[]? CellValues(float[] mean, bool[] valid, int width, int height, double cellX, double cellY, double phaseX, double phaseY,
        out int nx, out int ny)
    {
        var nxs = new int[1];
        var one = CellValues(new Canvas(mean, valid, width, height), cellX, cellY, [phaseX], phaseY, nxs, out ny);
        nx = nxs[0];
        return one[0];
    }

    /// <summary>Per canvas cell, at each of the column phases <paramref name="phasesX"/> and the row phase
    /// <paramref name="phaseY"/>: (sin²-weighted mean − mean) / (median texture + texture), NaN where the canvas covers less
    /// than 90 % of the cell; null for a phase with no such cell. <paramref name="nx"/> receives each phase's cells across.
    /// Each canvas row is prepared once for every column phase (its values, coverage and texture), and each phase then sums
    /// the row cell by cell, a cell's run of columns in registers: every cell's sums receive the same terms in the same
    /// order as a pixel-by-pixel pass (row-major), so the statistic is the plain computation's to the bit
    /// (RegisteredCanvasPairTests). An uncovered pixel adds exact zeros (the sums are never −0), so no branch is taken per
    /// pixel. The search's six passes over a 1080p pan's 3840 × 1080 canvas took 391 ms pixel by pixel through the cells' sums
    /// in memory, 245 ms so (bench/VIDEO.md round 22).</summary>
    private static float[]?[] CellValues(Canvas cv, double cellX, double cellY, ReadOnlySpan<double> phasesX, double phaseY, int[] nx, out int ny)
    {
        int w = cv.Width, h = cv.Height, k = phasesX.Length;
        // Cell index i covers canvas x in [phaseX + (i − 1)·cellX, phaseX + i·cellX): i = 0 is the partial cell on the left.
        ny = (int)Math.Ceiling((h - phaseY) / cellY) + 1;
        // Per phase: each column's weight, and the first column of each cell (cells are runs of columns, left to right).
        var colW = new float[k][];
        var starts = new int[k][];
        var cells = new CellSums[k][];
        for (int f = 0; f < k; f++)
        {
            double phaseX = phasesX[f];
            nx[f] = (int)Math.Ceiling((w - phaseX) / cellX) + 1;
            cells[f] = new CellSums[nx[f] * ny];
            colW[f] = new float[w];
            int[] first = starts[f] = new int[nx[f] + 1];
            int next = 0;
            for (int x = 0; x < w; x++)
            {
                (int c, colW[f][x]) = CellAt(x, phaseX, cellX);
                while (next <= c) first[next++] = x;
            }
            while (next <= nx[f]) first[next++] = w;
        }
        int[] rowCell = new int[h];
        float[] rowW = new float[h];
        for (int y = 0; y < h; y++) (rowCell[y], rowW[y]) = CellAt(y, phaseY, cellY);
        // One row as every phase reads it: the value (0 where not covered), 1 or 0 for covered, the value and the texture
        // as the doubles they are added as (0 where not covered or not textured; converted once per row rather than once per
        // phase: the six passes 237 against 269 ms on a 3840 × 1080 canvas), and the covered pixels before each column.
        float[] values = new float[w], covered = new float[w];
        double[] plain = new double[w], texture = new double[w];
        int[] coveredBefore = new int[w + 1];
        for (int y = 0; y < h; y++)
        {
            bool below = y + 1 < h;
            int r = y * w;
            ReadOnlySpan<float> row = cv.Mean.AsSpan(r, w), rowBelow = below ? cv.Mean.AsSpan(r + w, w) : default;
            ReadOnlySpan<bool> ok = cv.Valid.AsSpan(r, w), okBelow = below ? cv.Valid.AsSpan(r + w, w) : default;
            for (int x = 0; x < w; x++)
            {
                bool on = ok[x];
                float v = on ? row[x] : 0f;
                bool textured = on && below && x + 1 < w && ok[x + 1] && okBelow[x];
                values[x] = v;
                plain[x] = v;
                covered[x] = on ? 1f : 0f;
                texture[x] = textured ? Math.Abs(row[x + 1] - v) + Math.Abs(rowBelow[x] - v) : 0f;
                coveredBefore[x + 1] = coveredBefore[x] + (on ? 1 : 0);
            }
            float wy = rowW[y];
            for (int f = 0; f < k; f++)
            {
                var weights = colW[f];
                var first = starts[f];
                var rowCells = cells[f].AsSpan(rowCell[y] * nx[f], nx[f]);
                for (int i = 0; i < rowCells.Length; i++)
                {
                    int s = first[i], e = first[i + 1];
                    if (s == e) continue;
                    ref var cell = ref rowCells[i];
                    cell.Count += coveredBefore[e] - coveredBefore[s];
                    AddRun(ref cell, wy, weights.AsSpan(s, e - s), covered.AsSpan(s, e - s), values.AsSpan(s, e - s), plain.AsSpan(s, e - s),
                        texture.AsSpan(s, e - s));
                }
            }
        }
        double full = cellX * cellY;
        var stats = new float[]?[k];
        for (int f = 0; f < k; f++)
        {
            int n = nx[f] * ny;
            float[] stat = new float[n], t = new float[n];
            int kept = 0;
            for (int c = 0; c < n; c++)
            {
                ref readonly var cell = ref cells[f][c];
                if (cell.Count < 0.9 * full || cell.Weights <= 0) { stat[c] = float.NaN; continue; }
                stat[c] = (float)(cell.WeightedSum / cell.Weights - cell.Plain / cell.Count);
                t[c] = (float)(cell.Texture / cell.Count);
                kept++;
            }
            if (kept == 0) continue;
            float[] sorted = new float[kept];
            for (int c = 0, m = 0; c < n; c++) if (!float.IsNaN(stat[c])) sorted[m++] = t[c];
            Array.Sort(sorted);
            float floor = Math.Max(sorted[kept / 2], 0.05f);
            for (int c = 0; c < n; c++) if (!float.IsNaN(stat[c])) stat[c] /= floor + t[c];
            stats[f] = stat;
        }
        return stats;
    }
}
