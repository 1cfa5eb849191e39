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
/// windows over its flat half lose as much as a flat block. Statistics are therefore gathered per 4 × 4
/// quadrant (the odd rows, two of four, through the SIMD <see cref="ColumnMoments"/> kernel: column sums
/// and sums of squares, then one horizontal add per quadrant and channel), each window is the sum of its
/// 2 × 2 quadrants, and a block's contrast coefficient is the one that gives the mean of its four
/// windows' small-amplitude losses (E a² / C averages as E / C). Measured first per block: the loss
/// was under-predicted by about a third on edges next to flat areas.
/// </para>
/// <para>
/// Luma deviation is Σ w_c σ_c over the channels (Rec. 601 weights, as the SSIM measure uses): exact for
/// channels that move together, as natural content does, and it keeps a flat saturated colour flat (the
/// deviation of the pooled R, G, B samples would read a red block as high contrast).
/// </para>
/// </summary>
internal sealed class BlockStatistics
{
    /// <summary>SSIM's stabilising constants for 8-bit samples (K1 = 0.01, K2 = 0.03).</summary>
    public const float C1 = 6.5025f, C2 = 58.5225f;

    private const int Quadrant = 4;

    private BlockStatistics(int count)
    {
        Energy = new float[count];
        Contrast = new float[count];
        Luminance = new float[count];
    }

    /// <summary>0.75 · mean α²: the displayed chip energy per unit a² (a window of 2 × 2 chips with keyed
    /// signs varies by 0.75 a² on average).</summary>
    public float[] Energy { get; }

    /// <summary>The contrast term's denominator before the mark, 2 α² σ² + C2, as seen by the block's windows.</summary>
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
        int w = image.Width, h = image.Height, bands = image.Bands, stride = image.Stride;
        int bw = (w + block - 1) / block, bh = (h + block - 1) / block;
        int qw = (w + Quadrant - 1) / Quadrant, qh = (h + Quadrant - 1) / Quadrant;
        // Per quadrant: Σ and Σ² of each band (alpha included) and the sample count per band.
        int fields = 2 * bands + 1;
        var stats = new BlockStatistics(bw * bh);
        float[] ratio = new float[bw * bh];
        int[] windows = new int[bw * bh];
        ushort[] sums = ArrayPool<ushort>.Shared.Rent(stride);
        uint[] squares = ArrayPool<uint>.Shared.Rent(stride);
        long[] upper = ArrayPool<long>.Shared.Rent(qw * fields), lower = ArrayPool<long>.Shared.Rent(qw * fields);
        try
        {
            for (int qy = 0; qy < qh; qy++)
            {
                QuadrantRow(image, qy, sums, squares, lower.AsSpan(0, qw * fields), fields, width);
                if (qy > 0) Windows(image, qy - 1, upper, lower, qw, fields, bw, stats, ratio, windows);
                (upper, lower) = (lower, upper);
            }
            Windows(image, qh - 1, upper, null, qw, fields, bw, stats, ratio, windows);
            for (int b = 0; b < bw * bh; b++)
            {
                stats.Energy[b] /= windows[b];
                stats.Luminance[b] /= windows[b];
                stats.Contrast[b] = ratio[b] > 0 ? stats.Energy[b] / (ratio[b] / windows[b]) : float.PositiveInfinity;
            }
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(sums);
            ArrayPool<uint>.Shared.Return(squares);
            ArrayPool<long>.Shared.Return(upper);
            ArrayPool<long>.Shared.Return(lower);
        }
        return stats;
    }

    /// <summary>Σ and Σ² per band of every quadrant of quadrant row qy, from its odd rows (its first row
    /// when it has only one).</summary>
    private static void QuadrantRow(PixelBuffer image, int qy, ushort[] sums, uint[] squares, Span<long> row, int fields, VectorWidth width)
    {
        int w = image.Width, h = image.Height, bands = image.Bands, stride = image.Stride;
        int y0 = qy * Quadrant, rows = 0;
        Array.Clear(sums, 0, stride);
        Array.Clear(squares, 0, stride);
        for (int y = y0 + 1; y < Math.Min(h, y0 + Quadrant); y += 2, rows++)
            ColumnMoments.Accumulate(image.Row(y), sums.AsSpan(0, stride), squares.AsSpan(0, stride), width);
        if (rows == 0) { ColumnMoments.Accumulate(image.Row(y0), sums.AsSpan(0, stride), squares.AsSpan(0, stride), width); rows = 1; }
        row.Clear();
        for (int qx = 0; qx * Quadrant < w; qx++)
        {
            int i0 = qx * Quadrant * bands, i1 = Math.Min(w, (qx + 1) * Quadrant) * bands;
            Span<long> f = row.Slice(qx * fields, fields);
            for (int i = i0; i < i1; i += bands)
                for (int c = 0; c < bands; c++) { f[2 * c] += sums[i + c]; f[2 * c + 1] += squares[i + c]; }
            f[2 * bands] = (long)(i1 - i0) / bands * rows;
        }
    }

    /// <summary>Adds the windows whose top-left quadrant is in row qy (quadrant rows qy and qy + 1, the
    /// second absent at the bottom edge) to the blocks they start in.</summary>
    private static void Windows(PixelBuffer image, int qy, long[] top, long[]? bottom, int qw, int fields, int bw,
        BlockStatistics stats, float[] ratio, int[] windows)
    {
        int bands = image.Bands, colour = image.ColourBands;
        ReadOnlySpan<float> weights = colour == 3 ? [0.299f, 0.587f, 0.114f] : [1f];
        Span<long> sum = stackalloc long[fields];
        for (int qx = 0; qx < qw; qx++)
        {
            sum.Clear();
            int right = Math.Min(qx + 1, qw - 1);
            for (int x = qx; x <= right; x++)
                for (int f = 0; f < fields; f++)
                {
                    sum[f] += top[x * fields + f];
                    if (bottom is not null) sum[f] += bottom[x * fields + f];
                }
            float n = sum[2 * bands];
            float mean = 0, deviation = 0;
            for (int c = 0; c < colour; c++)
            {
                float m = sum[2 * c] / n;
                mean += weights[c] * m;
                deviation += weights[c] * MathF.Sqrt(MathF.Max(0, sum[2 * c + 1] / n - m * m));
            }
            float opacity = 1, opacity2 = 1;
            if (image.HasAlpha)
            {
                opacity = sum[2 * (bands - 1)] / (255f * n);
                opacity2 = sum[2 * (bands - 1) + 1] / (255f * 255f * n);
            }
            float dm = opacity * mean, ds = opacity * deviation, energy = 0.75f * opacity2;
            int b = qy / 2 * bw + qx / 2;
            stats.Energy[b] += energy;
            ratio[b] += energy / (2 * ds * ds + C2);
            stats.Luminance[b] += 0.25f * opacity2 / (2 * dm * dm + C1);
            windows[b]++;
        }
    }
}
