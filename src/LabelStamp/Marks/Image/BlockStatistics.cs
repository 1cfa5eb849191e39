using System.Buffers;
using LabelStamp.Kernels;
using LabelStamp.Media.Images;

namespace LabelStamp.Marks.Image;

/// <summary>
/// Per 8 × 8 block, what the SSIM of the image as displayed will lose when the mark adds a chip pattern
/// of amplitude a: the three coefficients of <see cref="Loss"/>, from the luma mean μ and deviation σ and
/// the opacity α of the SSIM windows the block starts (composited over black, the worse background for
/// the luminance term; the contrast term is the same over either).
/// <para>
/// Window-weighted: SSIM averages 8 × 8 windows at a stride of 4, so three of the four windows a block
/// starts straddle its neighbours, and a block half flat, half edge has a high deviation while the
/// windows over its flat half lose as much as a flat block. Each block therefore takes two windows: its
/// own and the one starting at its centre (straddling its right, lower and diagonal neighbours), and its
/// contrast coefficient is the one that gives the mean of their small-amplitude losses (E a² / C
/// averages as E / C). Measured first per block alone: the loss was under-predicted on edges next to
/// flat areas (0.976 measured at a 0.9825 prediction). All SIMD: of the odd rows of each quadrant (two of four),
/// RGB and RGBA rows give each channel's 4-pixel run sums straight from the bytes (<see cref="QuadrantRuns"/>: one
/// 16-byte load per run, a shuffle and a transpose into channel-major lanes), and a window's sums (two runs of its two
/// quadrant rows) are two contiguous runs added (<see cref="QuadrantRuns.PairWindows"/>); grey rows are summed down the
/// columns by <see cref="ColumnMoments"/>, along 4 pixels (<see cref="ColumnMoments.AddRuns"/>) and gathered at the
/// window starts (<see cref="ColumnMoments.GatherWindows"/>). <see cref="SsimWindowTerms"/> computes the terms one
/// window per vector lane, and finishes each block in vector lanes too (<see cref="SsimWindowTerms.Finish"/>).
/// </para>
/// <para>
/// Luma deviation is Σ w_c σ_c over the channels (Rec. 601 weights, as the SSIM measure uses): exact for
/// channels that move together, as natural content does, and for texture in one channel only, and it
/// keeps a flat saturated colour flat (the deviation of the pooled R, G, B samples would read a red block
/// as high contrast). The cheaper Σ w_c σ_c² read noise in red alone as 3.4 times the luma variance it
/// is (measured: SSIM 0.979 on the test's transparent disc).
/// </para>
/// </summary>
internal sealed class BlockStatistics : IDisposable
{
    /// <summary>SSIM's window stride: windows start every 4 pixels.</summary>
    private const int Quadrant = 4;

    /// <summary>The three planes come from the shared pool (one float per block: 128 KB each at 2 MP, so fresh ones
    /// were large-object allocations on every embed, zeroed and collected only by a gen-2 collection) and go back on
    /// <see cref="Dispose"/>. They may be longer than the block count; the two that are accumulated into start cleared.</summary>
    private BlockStatistics(int count)
    {
        Count = count;
        Energy = ArrayPool<float>.Shared.Rent(count);
        Contrast = ArrayPool<float>.Shared.Rent(count);
        Luminance = ArrayPool<float>.Shared.Rent(count);
        Array.Clear(Energy, 0, count);
        Array.Clear(Luminance, 0, count);
    }

    /// <summary>Blocks measured: the first <see cref="Count"/> values of each plane.</summary>
    public int Count { get; }

    /// <summary>Gives the planes back to the pool; the statistics must not be read afterwards.</summary>
    public void Dispose()
    {
        ArrayPool<float>.Shared.Return(Energy);
        ArrayPool<float>.Shared.Return(Contrast);
        ArrayPool<float>.Shared.Return(Luminance);
    }

    /// <summary>0.75 · mean α²: the displayed chip energy per unit a² (a window of 2 × 2 chips with keyed
    /// signs varies by 0.75 a² on average).</summary>
    public float[] Energy { get; }

    /// <summary>The contrast term's denominator before the mark, 2 α² σ² + C2 (<see cref="SsimWindowTerms.C2"/>), as seen by the block's windows.</summary>
    public float[] Contrast { get; }

    /// <summary>0.25 · mean α² / (2 α² μ² + C1): the luminance term's loss per unit a² (the chips' mean
    /// over a window moves by a/2 on average, and so does a black window whose negative chips clip).</summary>
    public float[] Luminance { get; }

    /// <summary>Predicted SSIM loss of block b at integer amplitude a.</summary>
    public float Loss(int b, int a)
    {
        float e = Energy[b] * a * a;
        return e / (Contrast[b] + e) + Luminance[b] * a * a;
    }

    /// <param name="block">The embedder's block side: 8, two quadrants.</param>
    public static BlockStatistics Measure(PixelBuffer image, int block, VectorWidth width)
    {
        if (block != 2 * Quadrant) throw new ArgumentOutOfRangeException(nameof(block), "statistics are per 8 × 8 block");
        int w = image.Width, bands = image.Bands, stride = image.Stride, colour = image.ColourBands;
        int bw = (w + block - 1) / block, bh = (image.Height + block - 1) / block;
        int qw = (w + Quadrant - 1) / Quadrant, qh = (image.Height + Quadrant - 1) / Quadrant;
        var stats = new BlockStatistics(bw * bh);
        float[] ratio = ArrayPool<float>.Shared.Rent(bw * bh);
        Array.Clear(ratio, 0, bw * bh);
        // Colour rows take the runs straight from the pixels (QuadrantRuns); grey ones keep the column path, whose
        // accumulators are padded by 8 pixels of zeros so the 8-pixel sums at the right edge add nothing past the image.
        bool grey = bands < 3;
        int length = stride + block * bands;
        ushort[] sums = grey ? ArrayPool<ushort>.Shared.Rent(length) : [];
        uint[] squares = grey ? ArrayPool<uint>.Shared.Rent(length) : [];
        if (grey)
        {
            Array.Clear(sums, stride, length - stride);
            Array.Clear(squares, stride, length - stride);
        }
        // Windows start every 4 pixels; a window row takes those of one parity (qx even on even rows, odd on
        // odd ones), so each quadrant row's window sums are gathered per parity, channel-major.
        int[] perParity = [(qw + 1) / 2, qw / 2];
        var top = new WindowHalves(perParity, bands);
        var bottom = new WindowHalves(perParity, bands);
        var empty = new WindowHalves(perParity, bands);
        float[] inverse = ArrayPool<float>.Shared.Rent(bw);
        int pitch = perParity[0];
        int[]? runs = grey ? null : ArrayPool<int>.Shared.Rent(4 * bands * pitch);
        try
        {
            int rowsTop = QuadrantRow(image, 0, sums, squares, length, runs, pitch, top, width), rowsBottom;
            for (int qy = 0; qy < qh; qy++)
            {
                // Window row qy covers quadrant rows qy and qy + 1 (the second absent at the bottom edge).
                rowsBottom = qy + 1 < qh ? QuadrantRow(image, qy + 1, sums, squares, length, runs, pitch, bottom, width) : 0;
                WindowHalves below = rowsBottom > 0 ? bottom : empty;
                int rows = rowsTop + rowsBottom, parity = qy & 1, n = perParity[parity], by = qy / 2;
                // Two of the four windows per block: the aligned one (even rows) and the one straddling the
                // block's lower right neighbours (odd rows) — half the work, both kinds of window.
                // Only the last window or two of a row are cut by the right edge (their starts lie within 8 pixels of
                // it); the rest take the full count, filled in vector stores instead of a test per window.
                inverse.AsSpan(0, n).Fill(1f / (block * rows));
                for (int j = n - 1; j >= 0; j--)
                {
                    int left = w - (2 * j + parity) * Quadrant;
                    if (left >= block) break;
                    inverse[j] = 1f / (left * rows);
                }
                SsimWindowTerms.Accumulate(top.Sums[parity], below.Sums[parity], top.Squares[parity], below.Squares[parity],
                    bands, colour, inverse.AsSpan(0, n), stats.Energy.AsSpan(by * bw, n), ratio.AsSpan(by * bw, n),
                    stats.Luminance.AsSpan(by * bw, n), width);
                (top, bottom) = (bottom, top);
                rowsTop = rowsBottom;
            }
            for (int by = 0; by < bh; by++)
            {
                // Every block has its aligned window; a block of the last column or row may start no
                // window of the odd kind, and one is enough: the blocks that took two are the row's first
                // perParity[1], unless the row is the last with no odd window row. Halving is exact in binary
                // floating point (x · 0.5 and x / 2 are the same correctly rounded value), so the mean over two
                // windows needs one division per block, not three.
                int b0 = by * bw, two = 2 * by + 1 < qh ? perParity[1] : 0;
                SsimWindowTerms.Finish(stats.Energy.AsSpan(b0, two), stats.Luminance.AsSpan(b0, two), ratio.AsSpan(b0, two),
                    stats.Contrast.AsSpan(b0, two), 0.5f, width);
                SsimWindowTerms.Finish(stats.Energy.AsSpan(b0 + two, bw - two), stats.Luminance.AsSpan(b0 + two, bw - two),
                    ratio.AsSpan(b0 + two, bw - two), stats.Contrast.AsSpan(b0 + two, bw - two), 1f, width);
            }
        }
        finally
        {
            if (grey)
            {
                ArrayPool<ushort>.Shared.Return(sums);
                ArrayPool<uint>.Shared.Return(squares);
            }
            ArrayPool<float>.Shared.Return(inverse);
            ArrayPool<float>.Shared.Return(ratio);
            if (runs is not null) ArrayPool<int>.Shared.Return(runs);
        }
        return stats;
    }

    /// <summary>One quadrant row's 8-pixel window sums at every window start, split by the start's parity:
    /// Sums[p][c · n_p + j] for the window at quadrant column 2j + p, channel c.</summary>
    private sealed class WindowHalves
    {
        public WindowHalves(int[] perParity, int bands)
        {
            Sums = [new int[bands * perParity[0]], new int[bands * perParity[1]]];
            Squares = [new int[bands * perParity[0]], new int[bands * perParity[1]]];
        }

        public int[][] Sums { get; }
        public int[][] Squares { get; }
    }

    /// <summary>Column sums and sums of squares of quadrant row qy's odd rows (its first row when it has
    /// none), summed along 4 pixels per band, and gathered in pairs of 4-pixel runs at the window starts into
    /// <paramref name="halves"/>. With <paramref name="runs"/> (colour rows) the run sums come straight from the pixels
    /// (<see cref="QuadrantRuns"/>; bench/WATERMARK.md, fifteenth step); without, from the column moments (element i then holds the sums of
    /// the 4 pixels from i on), whose padding past the row stays zero (the run sums only move padding into padding).
    /// Returns the number of rows summed.</summary>
    private static int QuadrantRow(PixelBuffer image, int qy, ushort[] sums, uint[] squares, int length, int[]? runs, int pitch,
        WindowHalves halves, VectorWidth width)
    {
        int h = image.Height, bands = image.Bands, stride = image.Stride, y0 = qy * Quadrant;
        int rows = y0 + 3 < h ? 2 : y0 + 1 < h ? 1 : 0;
        ReadOnlySpan<byte> first = image.Row(rows == 0 ? y0 : y0 + 1), second = rows == 2 ? image.Row(y0 + 3) : default;
        int windows = (halves.Sums[0].Length + halves.Sums[1].Length) / bands;
        if (runs is not null)
        {
            int plane = bands * pitch;
            Span<int> evenSums = runs.AsSpan(0, plane), evenSquares = runs.AsSpan(plane, plane);
            Span<int> oddSums = runs.AsSpan(2 * plane, plane), oddSquares = runs.AsSpan(3 * plane, plane);
            QuadrantRuns.Sum(first, second, bands, image.Width, pitch, evenSums, evenSquares, oddSums, oddSquares, width);
            QuadrantRuns.PairWindows(evenSums, oddSums, bands, windows, pitch, halves.Sums[0], halves.Sums[1], width);
            QuadrantRuns.PairWindows(evenSquares, oddSquares, bands, windows, pitch, halves.Squares[0], halves.Squares[1], width);
            return Math.Max(rows, 1);
        }
        ColumnMoments.Store(first, second, sums.AsSpan(0, stride), squares.AsSpan(0, stride), width);
        ColumnMoments.AddRuns(sums.AsSpan(0, length), squares.AsSpan(0, length), bands, width);
        ColumnMoments.GatherWindows(sums.AsSpan(0, length), squares.AsSpan(0, length), bands, windows,
            halves.Sums[0], halves.Squares[0], halves.Sums[1], halves.Squares[1]);
        return Math.Max(rows, 1);
    }
}
