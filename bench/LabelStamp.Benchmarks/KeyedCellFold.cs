using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;

namespace LabelStamp.Benchmarks;

/// <summary>
/// <see cref="KeyedBlockScan"/>'s statistic for every whole-cell shift of the tile at one scale and sub-cell phase, with
/// the per-shift work cut to one gather per tile cell. The canvas cells are folded onto the tile's torus once (canvas cell
/// (i, j) lands on (i mod cols, j mod rows): cells a whole tile apart always meet the same tile cell, whatever the shift),
/// into a doubled torus (2 rows × 2 cols) so a shift is a constant index offset, no modulo. Then for shift (sx, sy) bit b's
/// soft value is Σ sign(p) · F(p − s) over its tile cells p and q_b = Σ F²(p − s), read with the cells listed bit by bit.
/// Round 13's <see cref="KeyedBlockScan.Score"/> walked the canvas per shift through the layout's interface lists, with
/// two modulos per cell (≈ 11 ns a cell: 125 CPU-s for a 36-phase seed); it stays as the reference this is checked
/// against (`video-keyed-fold-check`).
/// <para>A subset of bits (every <c>bitStep</c>-th) gives the same statistic over fewer bits: z shrinks by about
/// √bitStep on the mark and keeps mean 0, variance ≈ 1 on noise, for 1/bitStep of the cost; the seed uses it to
/// screen hypotheses before scoring the few best with every bit.</para>
/// </summary>
public sealed class KeyedCellFold
{
    private readonly int cols, rows, stride;
    private readonly int[] cellIndex, bitStart;
    private readonly double[] cellSign;
    private readonly double[] value, square;

    public KeyedCellFold(VideoMarkLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        cols = layout.Cols;
        rows = layout.Rows;
        stride = 2 * cols;
        int n = cols * rows, bits = PayloadCodec.CodedBits;
        bitStart = new int[bits + 1];
        for (int p = 0; p < n; p++) bitStart[layout.CellBit[p] + 1]++;
        for (int b = 0; b < bits; b++) bitStart[b + 1] += bitStart[b];
        int[] next = (int[])bitStart.Clone();
        cellIndex = new int[n];
        cellSign = new double[n];
        for (int p = 0; p < n; p++)
        {
            int k = next[layout.CellBit[p]]++;
            int px = p % cols, py = p / cols;
            cellIndex[k] = (py + rows) * stride + px + cols;
            cellSign[k] = layout.CellSign[p];
        }
        value = new double[4 * n];
        square = new double[4 * n];
    }

    /// <summary>Round 13's statistic where the canvas wraps the tile: q over canvas cells, not tile cells (LS_KEYED_WRAP_PAIRS=1;
    /// the reference <see cref="KeyedBlockScan.Score"/> is that statistic).</summary>
    public bool WrapPairs { get; init; } = Environment.GetEnvironmentVariable("LS_KEYED_WRAP_PAIRS") == "1";

    /// <summary>Loads one phase's canvas cell values (nx × ny, NaN: not covered, left out).</summary>
    public void Load(float[] v, int nx, int ny)
    {
        ArgumentNullException.ThrowIfNull(v);
        int n = cols * rows;
        Span<double> f = n <= 4096 ? stackalloc double[n] : new double[n];
        Span<double> g = n <= 4096 ? stackalloc double[n] : new double[n];
        Span<byte> count = n <= 4096 ? stackalloc byte[n] : new byte[n];
        f.Clear();
        g.Clear();
        count.Clear();
        for (int j = 0; j < ny; j++)
        {
            int tr = (j % rows) * cols, row = j * nx;
            for (int i = 0, tc = 0; i < nx; i++, tc = tc + 1 == cols ? 0 : tc + 1)
            {
                float x = v[row + i];
                if (float.IsNaN(x)) continue;
                f[tr + tc] += x;
                // Squared in float as the reference does, so z matches round 13 to rounding of the sums' order.
                g[tr + tc] += x * x;
                count[tr + tc]++;
            }
        }
        // Where the canvas is wider or taller than the tile (scale < 1: 0.80 leaves 82 columns for 64), two canvas cells
        // a tile apart land on one tile cell: with Σ x² as q their product x₁x₂ stays in soft² − q with sign² = +1 under
        // every key and every shift, a key-free term that content correlated a tile apart (a dark frame's edges) turns into
        // z (the dark pan's plain encode: 9.7 under key 1 and 8.4 under key 78 at scale ≈ 0.80). Taking the tile cell's
        // folded sum as one value (q = F²) leaves only pairs of distinct tile cells, whose signs the key sets.
        if (!WrapPairs)
            for (int c = 0; c < n; c++)
                if (count[c] > 1) g[c] = f[c] * f[c];
        for (int yy = 0; yy < 2 * rows; yy++)
        for (int xx = 0; xx < stride; xx++)
        {
            int src = (yy % rows) * cols + xx % cols;
            value[yy * stride + xx] = f[src];
            square[yy * stride + xx] = g[src];
        }
    }

    /// <summary>z with canvas cell (i, j) on tile cell (i + sx, j + sy) mod the grid, over bits 0, bitStep, 2·bitStep, ….</summary>
    public double Score(int sx, int sy, int bitStep = 1)
    {
        sx = ((sx % cols) + cols) % cols;
        sy = ((sy % rows) + rows) % rows;
        int shift = sy * stride + sx, bits = bitStart.Length - 1;
        var idx = cellIndex;
        var sgn = cellSign;
        var val = value;
        var sq = square;
        double num = 0, den = 0;
        for (int b = 0; b < bits; b += bitStep)
        {
            double soft = 0, q = 0;
            for (int k = bitStart[b], end = bitStart[b + 1]; k < end; k++)
            {
                int at = idx[k] - shift;
                soft += sgn[k] * val[at];
                q += sq[at];
            }
            num += soft * soft - q;
            den += q * q;
        }
        return den > 0 ? num / Math.Sqrt(2 * den) : 0;
    }
}
