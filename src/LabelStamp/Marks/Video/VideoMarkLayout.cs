using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Marks.Video;

/// <summary>
/// Where the video mark's chips sit: a grid of cells laid over the frame in frame-relative
/// coordinates — <see cref="ShortSideCells"/> cells across the shorter side and as many as keep them
/// square across the longer one (64 × 36 at 16:9) — so a uniformly rescaled copy (1080p → 720p → 540p,
/// 4K → 1080p) has the same grid and the detector needs no search. Each cell carries one ±1 chip of one
/// coded payload bit as a smooth bump (sin² across the cell in both directions, zero at the cell's
/// border): all its energy is at spatial frequencies a codec keeps (about one cycle per 15-60 px),
/// with no edges for the transform to spend bits on. The cell-to-bit map and the chip signs come from
/// the key (HMAC sub-key, SplitMix64), so without the key the pattern is noise and another key reads
/// nothing.
/// </summary>
public sealed class VideoMarkLayout
{
    /// <summary>Cells across the shorter side. 36 gives 2304 cells at 16:9 (6-7 per coded bit) and
    /// cells of 15 px at 540p, 30 px at 1080p, 60 px at 4K: 1080p → 540p still leaves 15 px cells,
    /// which H.264 at CRF 30 keeps. Also under 540p, where the cells shrink to 10-13 px: 27, 24 or 18 cells there
    /// read fewer sweep copies, not more: the picture leaks about as much into a large cell's statistic as into a small
    /// one's (the bump's own share is the same at any size), so with fewer cells per coded bit the margin falls close to
    /// √(cells); the codec's gain on the larger cells is smaller than that (bench/VIDEO.md, issue 18 round 16).</summary>
    public const int ShortSideCells = 36;

    /// <summary>The smallest side the mark is put on (cells of ≥ 7 px).</summary>
    public const int MinimumSide = 256;

    private VideoMarkLayout(int width, int height, int cols, int rows, int[] bit, sbyte[] sign)
    {
        Width = width;
        Height = height;
        Cols = cols;
        Rows = rows;
        CellBit = bit;
        CellSign = sign;
        ColumnCell = new int[width];
        ColumnWeight = new float[width];
        RowCell = new int[height];
        RowWeight = new float[height];
        Axis(width, cols, ColumnCell, ColumnWeight);
        Axis(height, rows, RowCell, RowWeight);
    }

    public int Width { get; }
    public int Height { get; }
    public int Cols { get; }
    public int Rows { get; }
    public int Cells => Cols * Rows;

    /// <summary>The coded bit (0 … <see cref="PayloadCodec.CodedBits"/> − 1) each cell carries (row-major).</summary>
    public IReadOnlyList<int> CellBit { get; }

    /// <summary>The keyed ±1 spreading sign of each cell.</summary>
    public IReadOnlyList<sbyte> CellSign { get; }

    /// <summary>The ±1 chip of every cell for <paramref name="payload"/>: its coded bit times its spreading sign.</summary>
    public sbyte[] Chips(MarkPayload payload)
    {
        Span<sbyte> coded = stackalloc sbyte[PayloadCodec.CodedBits];
        PayloadCodec.Encode(payload, coded);
        var chip = new sbyte[Cells];
        for (int c = 0; c < chip.Length; c++) chip[c] = (sbyte)(coded[CellBit[c]] * CellSign[c]);
        return chip;
    }

    /// <summary>Cell column of each pixel column, and the pixel's sin² weight along x.</summary>
    internal int[] ColumnCell { get; }
    internal float[] ColumnWeight { get; }
    internal int[] RowCell { get; }
    internal float[] RowWeight { get; }

    /// <summary>The grid for a frame of this size (the same for any uniform rescale of it).</summary>
    public static (int Cols, int Rows) Grid(int width, int height, int shortSideCells = ShortSideCells)
    {
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), "a frame has positive sides");
        if (shortSideCells < 1) throw new ArgumentOutOfRangeException(nameof(shortSideCells), "at least one cell");
        return width >= height
            ? ((int)Math.Max(1, Math.Round(shortSideCells * (double)width / height)), shortSideCells)
            : (shortSideCells, (int)Math.Max(1, Math.Round(shortSideCells * (double)height / width)));
    }

    /// <summary>The layout with <paramref name="shortSideCells"/> cells across the shorter side (larger cells: a
    /// lower spatial frequency, so a shift of the content leaves less residual against the static pattern).</summary>
    public static VideoMarkLayout For(MarkKey key, int width, int height, int shortSideCells = ShortSideCells)
    {
        ArgumentNullException.ThrowIfNull(key);
        var (cols, rows) = Grid(width, height, shortSideCells);
        int n = cols * rows;
        // The map depends on the grid only, never on the pixel size, so a rescaled copy reads with the
        // same map. A keyed shuffle spreads each coded bit over cells far apart (content that hides one
        // cell seldom hides its siblings), and every bit gets ⌊n / 330⌋ or one more cell.
        var seq = new KeyedSequence(key.Derive($"video-mark/v1/layout/{cols}x{rows}"));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = seq.NextBelow(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        int[] bit = new int[n];
        sbyte[] sign = new sbyte[n];
        for (int i = 0; i < n; i++)
        {
            bit[order[i]] = i % PayloadCodec.CodedBits;
            sign[i] = (seq.Next() & 1) == 0 ? (sbyte)1 : (sbyte)-1;
        }
        return new VideoMarkLayout(width, height, cols, rows, bit, sign);
    }

    private static void Axis(int pixels, int cells, int[] cell, float[] weight)
    {
        for (int p = 0; p < pixels; p++)
        {
            double u = (p + 0.5) * cells / pixels;
            int c = Math.Min(cells - 1, (int)u);
            double s = Math.Sin(Math.PI * (u - c));
            cell[p] = c;
            weight[p] = (float)(s * s);
        }
    }
}
