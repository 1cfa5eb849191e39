using LabelStamp.Kernels;
using LabelStamp.Kernels.Fft;

namespace LabelStamp.Marks.Image;

/// <summary>
/// The untouched geometry read in the chip domain: the mean of every 4 × 4 chip cell, whitened against
/// its eight neighbouring cells, weighed by its neighbourhood's level and folded modulo 64 cells.
/// <para>
/// Why: a stamped file saved again at the same size puts the chips on the codec's own transform grid
/// (VP8 and the embedder both start at the image origin, 4 × 4 blocks), so a chip is exactly one block's
/// DC coefficient. Lossy WebP at q50 quantises the AC coefficients coarsely and leaves ringing around
/// every edge; that ringing sums to zero over a block, so the chip mean does not see it, while the pixel
/// whitening (luma minus its 3 × 3 mean) keeps it at full strength. Measured (bench/WATERMARK.md, seventh
/// step): on a 1920 × 1080 text page after WebP q50, 66 % of the mark's amplitude is left, the pixel
/// whitening reads 21 % raw bit errors (no decode) and the chip means 13 % (decoded).
/// </para>
/// <para>
/// The null statistic is the sync statistic of <see cref="ImageMarkSync"/> restricted to whole-chip offsets:
/// T(d) = Σ_k s_k F(k + d) / √Σ_k F(k + d)² over the 1,024 sync chips k and the 4,096 cyclic chip offsets d.
/// Without this key's mark the fold does not depend on the key's signs, so Hoeffding's bound
/// P(T ≥ τ) ≤ exp(−τ²/2) holds for every offset; the detector counts this fold like any other
/// (4,096 offsets, fewer than the 65,536 each fold is charged for).
/// </para>
/// </summary>
internal sealed class ImageMarkChipFold
{
    private const int Chip = ImageMarkLayout.Chip;
    private const int Cps = ImageMarkLayout.ChipsPerSide;
    /// <summary>A cell's residual is divided by the mean |residual| of its 3 × 3 cells plus this share of the
    /// plane's mean and an absolute floor (levels), then limited to ±<see cref="Limit"/>: the block weighting of
    /// the pixel whitening, one level up.</summary>
    private const float FloorOfMean = 0.1f, FloorLevels = 0.1f, Limit = 2.5f;

    private const int N = Cps * Cps;
    private readonly int[] _syncChips;
    private readonly sbyte[] _syncSigns;
    private readonly FftPlan2D _fft = new(Cps);
    // Spectra of the sync signs and of the sync chips' indicator on the 64 × 64 chip grid.
    private readonly float[] _signRe = new float[N], _signIm = new float[N], _maskRe = new float[N], _maskIm = new float[N];

    public ImageMarkChipFold(ImageMarkLayout layout)
    {
        int n = 0;
        for (int c = 0; c < ImageMarkLayout.Chips; c++) if (layout.BitOfChip[c] < 0) n++;
        _syncChips = new int[n];
        _syncSigns = new sbyte[n];
        for (int c = 0, k = 0; c < ImageMarkLayout.Chips; c++)
            if (layout.BitOfChip[c] < 0)
            {
                _syncChips[k] = c; _syncSigns[k++] = layout.Signs[c];
                _signRe[c] = layout.Signs[c];
                _maskRe[c] = 1;
            }
        _fft.Forward(_signRe, _signIm);
        _fft.Forward(_maskRe, _maskIm);
    }

    /// <summary>
    /// Folds the luma region [x0, x1) × [y0, y1) of a plane whose column 0 lies at image column
    /// <paramref name="originX"/> (row 0 at <paramref name="originY"/>): cells start where the image column is
    /// ≡ <paramref name="phaseX"/> (mod 4), and fold cell (j, i) receives the cells whose image chip index is
    /// ≡ (j, i) (mod 64). Returns null when the region holds fewer than 3 × 3 cells. Whole rows in vector lanes
    /// (<see cref="ChipMeans"/>), every value added in the order of <see cref="FoldScalarReference"/>, so the
    /// fold is identical to the bit on every width.
    /// </summary>
    public static float[]? Fold(float[] luma, int w, int x0, int y0, int x1, int y1, int originX, int originY, int phaseX, int phaseY,
        VectorWidth width = VectorWidth.Auto)
    {
        // First cell column: the smallest x ≥ x0 with x + originX ≡ phaseX (mod 4).
        int cx0 = x0 + (((phaseX - x0 - originX) % Chip) + Chip) % Chip;
        int cy0 = y0 + (((phaseY - y0 - originY) % Chip) + Chip) % Chip;
        int cw = (x1 - cx0) / Chip, ch = (y1 - cy0) / Chip;
        if (cw < 3 || ch < 3) return null;
        float[] mean = new float[cw * ch], residual = new float[cw * ch];
        int runs = cw * Chip - 3;
        float[] scratch = new float[Math.Max(runs, 5 * cw)], sums = new float[runs], weighed = new float[cw];
        for (int j = 0; j < ch; j++)
        {
            Array.Clear(sums);
            int o = (cy0 + j * Chip) * w + cx0;
            for (int ky = 0; ky < Chip; ky++, o += w) ChipMeans.AddRunsOfFour(luma.AsSpan(o, cw * Chip), sums, scratch, width);
            // The run starting at a cell's first column is the cell's sum; × 1/16 is exact.
            for (int i = 0; i < cw; i++) mean[j * cw + i] = sums[i * Chip] * (1f / (Chip * Chip));
        }
        double absSum = 0;
        for (int j = 1; j < ch - 1; j++)
        {
            Span<float> r = residual.AsSpan(j * cw + 1, cw - 2);
            ChipMeans.NeighbourResidual(mean.AsSpan((j - 1) * cw, cw), mean.AsSpan(j * cw, cw), mean.AsSpan((j + 1) * cw, cw), r, scratch, width);
            // In double and in cell order, as the reference: the floor (and so every weight) stays the same to the bit.
            foreach (float v in r) absSum += Math.Abs(v);
        }
        float floor = (float)(FloorOfMean * absSum / Math.Max(1, (cw - 2) * (ch - 2))) + FloorLevels;
        // Image chip index of cell (i, j): (cx0 + originX − phaseX) / 4 + i, a whole number by the choice of cx0.
        int ci0 = (cx0 + originX - phaseX) / Chip, cj0 = (cy0 + originY - phaseY) / Chip;
        float[] fold = new float[Cps * Cps];
        Span<float> ones = stackalloc float[Cps];
        ones.Fill(1f);
        for (int j = 2; j < ch - 2 && cw > 4; j++)
        {
            // Cells [1, cw − 1) of row j weighed; the fold takes [2, cw − 2), whose neighbours all have a residual.
            Span<float> v = weighed.AsSpan(0, cw - 4);
            ChipMeans.WeighedResidual(residual.AsSpan((j - 1) * cw + 1, cw - 2), residual.AsSpan(j * cw + 1, cw - 2),
                residual.AsSpan((j + 1) * cw + 1, cw - 2), floor, Limit, v, scratch, width);
            Span<float> foldRow = fold.AsSpan(((cj0 + j) & (Cps - 1)) * Cps, Cps);
            // Runs of up to 64 cells onto one fold row: each fold cell still receives its cells left to right
            // (v · 1 + cell is exactly cell + v).
            for (int i = 2, at = (ci0 + 2) & (Cps - 1); i < cw - 2; at = 0)
            {
                int n = Math.Min(Cps - at, cw - 2 - i);
                Span<float> cells = foldRow.Slice(at, n);
                SpanDriver.Apply<float, MultiplyAddOperator>(v.Slice(i - 2, n), ones[..n], cells, cells, width);
                i += n;
            }
        }
        return fold;
    }

    /// <summary>The cell-by-cell loops <see cref="Fold"/> is tested against, bit for bit.</summary>
    internal static float[]? FoldScalarReference(float[] luma, int w, int x0, int y0, int x1, int y1, int originX, int originY, int phaseX, int phaseY)
    {
        // First cell column: the smallest x ≥ x0 with x + originX ≡ phaseX (mod 4).
        int cx0 = x0 + (((phaseX - x0 - originX) % Chip) + Chip) % Chip;
        int cy0 = y0 + (((phaseY - y0 - originY) % Chip) + Chip) % Chip;
        int cw = (x1 - cx0) / Chip, ch = (y1 - cy0) / Chip;
        if (cw < 3 || ch < 3) return null;
        float[] mean = new float[cw * ch], residual = new float[cw * ch];
        for (int j = 0; j < ch; j++)
            for (int i = 0; i < cw; i++)
            {
                float s = 0;
                int o = (cy0 + j * Chip) * w + cx0 + i * Chip;
                for (int ky = 0; ky < Chip; ky++, o += w)
                    s += luma[o] + luma[o + 1] + luma[o + 2] + luma[o + 3];
                mean[j * cw + i] = s * (1f / (Chip * Chip));
            }
        double absSum = 0;
        for (int j = 1; j < ch - 1; j++)
            for (int i = 1; i < cw - 1; i++)
            {
                int c = j * cw + i;
                float around = mean[c - cw - 1] + mean[c - cw] + mean[c - cw + 1] + mean[c - 1] + mean[c + 1]
                    + mean[c + cw - 1] + mean[c + cw] + mean[c + cw + 1];
                float r = mean[c] - around * 0.125f;
                residual[c] = r;
                absSum += Math.Abs(r);
            }
        float floor = (float)(FloorOfMean * absSum / Math.Max(1, (cw - 2) * (ch - 2))) + FloorLevels;
        // Image chip index of cell (i, j): (cx0 + originX − phaseX) / 4 + i, a whole number by the choice of cx0.
        int ci0 = (cx0 + originX - phaseX) / Chip, cj0 = (cy0 + originY - phaseY) / Chip;
        float[] fold = new float[Cps * Cps];
        for (int j = 2; j < ch - 2; j++)
            for (int i = 2; i < cw - 2; i++)
            {
                int c = j * cw + i;
                float level = Math.Abs(residual[c - cw - 1]) + Math.Abs(residual[c - cw]) + Math.Abs(residual[c - cw + 1])
                    + Math.Abs(residual[c - 1]) + Math.Abs(residual[c]) + Math.Abs(residual[c + 1])
                    + Math.Abs(residual[c + cw - 1]) + Math.Abs(residual[c + cw]) + Math.Abs(residual[c + cw + 1]);
                float v = residual[c] / (level * (1f / 9) + floor);
                fold[((cj0 + j) & (Cps - 1)) * Cps + ((ci0 + i) & (Cps - 1))] += Math.Clamp(v, -Limit, Limit);
            }
        return fold;
    }

    /// <summary>The sync statistic T(d) of the fold at every cyclic chip offset d (row-major dy · 64 + dx): c(d) and
    /// V(d) are cyclic correlations of the fold and of its square with the sync signs and the sync chips'
    /// indicator, each one forward and one inverse 64 × 64 transform (<see cref="StatisticDirect"/> is the reference).</summary>
    public void Statistic(float[] fold, float[] t)
    {
        float[] cRe = new float[N], cIm = new float[N], vRe = new float[N], vIm = new float[N];
        for (int i = 0; i < N; i++) { cRe[i] = fold[i]; vRe[i] = fold[i] * fold[i]; }
        _fft.Forward(cRe, cIm);
        _fft.Forward(vRe, vIm);
        CrossPower.Apply(cRe, cIm, _signRe, _signIm, cRe, cIm);
        CrossPower.Apply(vRe, vIm, _maskRe, _maskIm, vRe, vIm);
        _fft.Inverse(cRe, cIm);
        _fft.Inverse(vRe, vIm);
        // Both inverses carry the same scale k, and T = c / √V = c' / √(k · V'); at this size the plan's k is 1
        // (held to the direct sum by the tests). V at the level of the transforms' rounding (a fold that is
        // zero where the sync chips fall) scores 0.
        double meanV = 0;
        for (int i = 0; i < N; i++) meanV += vRe[i];
        float floorV = (float)Math.Max(1e-30, 1e-3 * meanV / N);
        for (int i = 0; i < N; i++) t[i] = vRe[i] > floorV ? cRe[i] / MathF.Sqrt(vRe[i]) : 0f;
    }

    /// <summary>The same statistic offset by offset (1,024 sync chips × 4,096 offsets): the reference the tests
    /// hold <see cref="Statistic"/> to.</summary>
    internal void StatisticDirect(float[] fold, float[] t)
    {
        int[] chips = _syncChips;
        sbyte[] signs = _syncSigns;
        for (int dy = 0; dy < Cps; dy++)
            for (int dx = 0; dx < Cps; dx++)
            {
                float c = 0, v = 0;
                for (int k = 0; k < chips.Length; k++)
                {
                    int chip = chips[k];
                    float f = fold[(((chip >> 6) + dy) & (Cps - 1)) * Cps + (((chip & (Cps - 1)) + dx) & (Cps - 1))];
                    c += signs[k] * f;
                    v += f * f;
                }
                t[dy * Cps + dx] = v > 1e-12f ? c / MathF.Sqrt(v) : 0f;
            }
    }

    /// <summary>Soft bits of the fold with the tile at chip offset (dx, dy): Σ sign × cell over each bit's chips.</summary>
    public static void SoftBits(float[] fold, ImageMarkLayout layout, int dx, int dy, Span<float> soft)
    {
        soft.Clear();
        for (int c = 0; c < ImageMarkLayout.Chips; c++)
        {
            int b = layout.BitOfChip[c];
            if (b < 0) continue;
            int cy = c / Cps, cx = c % Cps;
            soft[b] += layout.Signs[c] * fold[((cy + dy) & (Cps - 1)) * Cps + ((cx + dx) & (Cps - 1))];
        }
    }
}
