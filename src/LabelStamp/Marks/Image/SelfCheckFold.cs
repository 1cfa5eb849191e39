using System.Buffers;
using LabelStamp.Media.Images;

namespace LabelStamp.Marks.Image;

/// <summary>
/// The self-check's one fold (<see cref="ImageMarkDetector.ReadsBack(PixelBuffer, ImageMarkKeyMaterial, LabelStamp.Marks.Payload.MarkPayload)"/>):
/// luma of the central region, its whitening and the fold at the untouched geometry, in two passes over the region
/// instead of four. The whitening's floor needs the whole region's mean |residual| before any block is normalised, so
/// the first pass high-passes every row and sums its |residual| (an image without alpha keeps three luma rows, not a
/// luma plane); the second normalises each band of <see cref="ImageMarkDetector.NormBlock"/> rows and folds it while
/// it is in cache. Where the high-passed rows wait between the passes depends on the region: up to
/// <see cref="SelfCheckScratch.MaxKeptRegion"/> in the thread's kept whitened plane; above it in no plane at all, the
/// second pass high-passing each band again (a 2,052² region's plane was a 17 MB allocation per check, and its pages
/// were faulted in on every write). Measured both ways (bench/WATERMARK.md, fifteenth step): the second high-pass
/// costs more than a warm plane's write and read at every size, and less than a fresh plane's.
/// The steps are the detector's own (<see cref="ImageMarkDetector.LumaOfRow"/>, <see cref="ImageMarkDetector.HighPassRow"/>,
/// <see cref="ImageMarkDetector.NormaliseBlock"/>, <see cref="ImageMarkDetector.FoldUntouched"/>) in the same order,
/// so every fold cell receives the same samples, of the same values, in the same order as
/// <c>Luma → Whiten → FoldUntouched</c>: the fold is theirs to the bit either way (<c>SelfCheckFoldTests</c>), and so
/// is the self-check's answer.
/// </summary>
internal static class SelfCheckFold
{
    private const int Band = ImageMarkDetector.NormBlock;

    /// <summary>Folds the w × h region at (<paramref name="x0"/>, <paramref name="y0"/>) of <paramref name="image"/> into
    /// <paramref name="fold"/> (cleared first), whitened as the detector whitens the whole region, over the window
    /// <see cref="ImageMarkDetector.UntouchedFoldWindow"/> gives. <paramref name="white"/> holds the whitened region
    /// when it has w · h samples or more; when it is shorter (empty) no whitened plane is written and each band is
    /// high-passed a second time. <paramref name="luma"/> (w · h) is used only when the image has alpha (its hidden
    /// pixels are filled from their neighbours, which needs the plane); otherwise it may be empty.</summary>
    public static void Fold(PixelBuffer image, int x0, int y0, int w, int h, float[] luma, float[] white, float[] fold)
    {
        Array.Clear(fold);
        // Whiten(luma, w, h, white, 0, 0, w, h) clamps its region to the plane's interior.
        int wy0 = 1, wy1 = h - 1, len = w - 2;
        if (len <= 0 || wy1 <= wy0) return;   // ReadsBack's regions are at least MinimumSide a side
        bool inPlane = white.Length >= (long)w * h;
        int rowsAt = ImageMarkDetector.WhiteningScratch(len);
        float[] scratch = ArrayPool<float>.Shared.Rent(rowsAt + 3 * w);
        // Without the plane, the high-passed rows of one band (eight rows of at most 2,054 samples: 66 KB).
        float[] rows = inPlane ? white : ArrayPool<float>.Shared.Rent(Band * w);
        try
        {
            // An image with alpha fills its luma plane once (its hidden pixels are filled from their neighbours across
            // rows); one without computes each luma row as a pass reaches it, into three rotating rows after the
            // whitening's own scratch.
            bool fromPlane = image.HasAlpha;
            if (fromPlane) ImageMarkDetector.Luma(image, luma, x0, y0, w, h);
            Span<float> Luma(int y) => fromPlane ? luma.AsSpan(y * w, w) : scratch.AsSpan(rowsAt + y % 3 * w, w);
            void StartPass()
            {
                if (fromPlane) return;
                ImageMarkDetector.LumaOfRow(image, x0, y0, Luma(0));
                ImageMarkDetector.LumaOfRow(image, x0, y0 + 1, Luma(1));
            }
            void NextLuma(int y)
            {
                if (!fromPlane) ImageMarkDetector.LumaOfRow(image, x0, y0 + y + 1, Luma(y + 1));
            }

            // First pass: every row high-passed (into the plane, or into one row that is not kept) and its Σ |residual|.
            double absSum = 0;
            StartPass();
            for (int y = wy0; y < wy1; y++)
            {
                NextLuma(y);
                absSum += ImageMarkDetector.HighPassRow(Luma(y - 1), Luma(y), Luma(y + 1), rows, inPlane ? y * w : 0, 1, w - 1, w, scratch);
            }
            float floor = ImageMarkDetector.WhiteningFloor(absSum, len, wy1 - wy0);
            ImageMarkDetector.PrepareNormalise(scratch, len);
            var (fx0, fx1, fy0, fy1) = ImageMarkDetector.UntouchedFoldWindow(w, h);
            // Second pass, a band at a time: (high-passed again when there is no plane,) normalised and folded. Row r of
            // `rows` is region row r + top: the plane's rows are the region's, the band's start at yb.
            if (!inPlane) StartPass();
            for (int yb = wy0; yb < wy1; yb += Band)
            {
                int ye = Math.Min(wy1, yb + Band), top = inPlane ? 0 : yb;
                if (!inPlane)
                    for (int y = yb; y < ye; y++)
                    {
                        NextLuma(y);
                        ImageMarkDetector.HighPassRow(Luma(y - 1), Luma(y), Luma(y + 1), rows, (y - yb) * w, 1, w - 1, w, scratch);
                    }
                ImageMarkDetector.NormaliseBlock(rows, w, 1, len, yb - top, ye - top, floor, scratch);
                // The fold's row is (region row + y0) mod P either way.
                int from = Math.Max(yb, fy0), to = Math.Min(ye, fy1);
                if (from < to) ImageMarkDetector.FoldUntouched(rows, w, fx0, fx1, from - top, to - top, x0, y0 + top, fold);
            }
        }
        finally
        {
            if (!inPlane) ArrayPool<float>.Shared.Return(rows);
            ArrayPool<float>.Shared.Return(scratch);
        }
    }
}
