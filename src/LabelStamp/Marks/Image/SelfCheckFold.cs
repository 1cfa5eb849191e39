using System.Buffers;
using LabelStamp.Media.Images;

namespace LabelStamp.Marks.Image;

/// <summary>
/// The self-check's one fold (<see cref="ImageMarkDetector.ReadsBack(PixelBuffer, ImageMarkKeyMaterial, LabelStamp.Marks.Payload.MarkPayload)"/>):
/// luma of the central region, its whitening and the fold at the untouched geometry, in two passes over the region and
/// without a whitened plane. The whitening's floor needs the whole region's mean |residual| before any block is
/// normalised, so the first pass only high-passes each row to sum its |residual| (an image without alpha keeps three
/// luma rows, not a luma plane); the second high-passes every row again into a band of
/// <see cref="ImageMarkDetector.NormBlock"/> rows, normalises the band and folds it while it is in cache. Writing the
/// region's whitened plane and reading it back cost more than the second high-pass at every size band, and above
/// 512² the plane was a 17 MB allocation per check (bench/WATERMARK.md, fifteenth step). The steps are the detector's
/// own (<see cref="ImageMarkDetector.LumaOfRow"/>, <see cref="ImageMarkDetector.HighPassRow"/>,
/// <see cref="ImageMarkDetector.NormaliseBlock"/>, <see cref="ImageMarkDetector.FoldUntouched"/>) in the same order,
/// so every fold cell receives the same samples, of the same values, in the same order as
/// <c>Luma → Whiten → FoldUntouched</c>: the fold is theirs to the bit (<c>SelfCheckFoldTests</c>), and so is the
/// self-check's answer.
/// </summary>
internal static class SelfCheckFold
{
    private const int Band = ImageMarkDetector.NormBlock;

    /// <summary>Folds the w × h region at (<paramref name="x0"/>, <paramref name="y0"/>) of <paramref name="image"/> into
    /// <paramref name="fold"/> (cleared first), whitened as the detector whitens the whole region, over the window
    /// <see cref="ImageMarkDetector.UntouchedFoldWindow"/> gives. <paramref name="luma"/> (w · h) is used only when the
    /// image has alpha (its hidden pixels are filled from their neighbours, which needs the plane); otherwise it may be
    /// empty.</summary>
    public static void Fold(PixelBuffer image, int x0, int y0, int w, int h, float[] luma, float[] fold)
    {
        Array.Clear(fold);
        // Whiten(luma, w, h, white, 0, 0, w, h) clamps its region to the plane's interior.
        int wy0 = 1, wy1 = h - 1, len = w - 2;
        if (len <= 0 || wy1 <= wy0) return;   // ReadsBack's regions are at least MinimumSide a side
        int rowsAt = ImageMarkDetector.WhiteningScratch(len);
        float[] scratch = ArrayPool<float>.Shared.Rent(rowsAt + 3 * w);
        float[] band = ArrayPool<float>.Shared.Rent(Band * w);
        try
        {
            // An image with alpha fills its luma plane once (its hidden pixels are filled from their neighbours across
            // rows); one without computes each luma row as a pass reaches it, into three rotating rows after the
            // whitening's own scratch.
            bool fromPlane = image.HasAlpha;
            if (fromPlane) ImageMarkDetector.Luma(image, luma, x0, y0, w, h);
            Span<float> Row(int y) => fromPlane ? luma.AsSpan(y * w, w) : scratch.AsSpan(rowsAt + y % 3 * w, w);
            void StartPass()
            {
                if (fromPlane) return;
                ImageMarkDetector.LumaOfRow(image, x0, y0, Row(0));
                ImageMarkDetector.LumaOfRow(image, x0, y0 + 1, Row(1));
            }
            void NextRow(int y)
            {
                if (!fromPlane) ImageMarkDetector.LumaOfRow(image, x0, y0 + y + 1, Row(y + 1));
            }

            // First pass: Σ |residual| of every high-passed row, for the floor; the rows themselves are not kept.
            double absSum = 0;
            StartPass();
            for (int y = wy0; y < wy1; y++)
            {
                NextRow(y);
                absSum += ImageMarkDetector.HighPassRow(Row(y - 1), Row(y), Row(y + 1), band, 0, 1, w - 1, w, scratch);
            }
            float floor = ImageMarkDetector.WhiteningFloor(absSum, len, wy1 - wy0);
            ImageMarkDetector.PrepareNormalise(scratch, len);
            var (fx0, fx1, fy0, fy1) = ImageMarkDetector.UntouchedFoldWindow(w, h);
            // Second pass: the same rows high-passed again, a band at a time, normalised and folded.
            StartPass();
            for (int yb = wy0; yb < wy1; yb += Band)
            {
                int ye = Math.Min(wy1, yb + Band);
                for (int y = yb; y < ye; y++)
                {
                    NextRow(y);
                    ImageMarkDetector.HighPassRow(Row(y - 1), Row(y), Row(y + 1), band, (y - yb) * w, 1, w - 1, w, scratch);
                }
                ImageMarkDetector.NormaliseBlock(band, w, 1, len, 0, ye - yb, floor, scratch);
                // The band's row r is the region's row yb + r: the fold's row index is (yb + r + y0) mod P as before.
                int from = Math.Max(yb, fy0), to = Math.Min(ye, fy1);
                if (from < to) ImageMarkDetector.FoldUntouched(band, w, fx0, fx1, from - yb, to - yb, x0, y0 + yb, fold);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(band);
            ArrayPool<float>.Shared.Return(scratch);
        }
    }
}
