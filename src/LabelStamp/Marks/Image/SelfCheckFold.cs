using System.Buffers;
using LabelStamp.Media.Images;

namespace LabelStamp.Marks.Image;

/// <summary>
/// The self-check's one fold (<see cref="ImageMarkDetector.ReadsBack(PixelBuffer, ImageMarkKeyMaterial, LabelStamp.Marks.Payload.MarkPayload)"/>):
/// luma of the central region, its whitening and the fold at the untouched geometry, in two passes over the region
/// instead of four. The first pass takes each luma row as it high-passes it (an image without alpha keeps three luma
/// rows, not a luma plane); the second normalises each band of <see cref="ImageMarkDetector.NormBlock"/> rows and folds
/// it while it is still in cache. The steps are the detector's own (<see cref="ImageMarkDetector.LumaOfRow"/>,
/// <see cref="ImageMarkDetector.HighPassRow"/>, <see cref="ImageMarkDetector.NormaliseBlock"/>,
/// <see cref="ImageMarkDetector.FoldUntouched"/>) in the same order, so every fold cell receives the same samples, of the
/// same values, in the same order as <c>Luma → Whiten → FoldUntouched</c>: the fold is theirs to the bit
/// (<c>SelfCheckFoldTests</c>), and so is the self-check's answer.
/// </summary>
internal static class SelfCheckFold
{
    private const int P = ImageMarkLayout.Period;

    /// <summary>Folds the w × h region at (<paramref name="x0"/>, <paramref name="y0"/>) of <paramref name="image"/> into
    /// <paramref name="fold"/> (cleared first), whitened as the detector whitens the whole region, over the window
    /// <see cref="ImageMarkDetector.UntouchedFoldWindow"/> gives. <paramref name="white"/> (w · h) receives the whitened
    /// region; <paramref name="luma"/> (w · h) is used only when the image has alpha (its hidden pixels are filled from
    /// their neighbours, which needs the plane); otherwise it may be empty.</summary>
    public static void Fold(PixelBuffer image, int x0, int y0, int w, int h, float[] luma, float[] white, float[] fold)
    {
        Array.Clear(fold);
        // Whiten(luma, w, h, white, 0, 0, w, h) clamps its region to the plane's interior.
        int wx0 = 1, wy0 = 1, wx1 = w - 1, wy1 = h - 1, len = wx1 - wx0;
        if (len <= 0 || wy1 <= wy0) return;   // ReadsBack's regions are at least MinimumSide a side
        white.AsSpan(0, w).Clear();
        white.AsSpan(wy1 * w, w).Clear();
        float[] scratch = ArrayPool<float>.Shared.Rent(ImageMarkDetector.WhiteningScratch(len) + 3 * w);
        try
        {
            double absSum = image.HasAlpha
                ? HighPassFromPlane(image, x0, y0, w, h, luma, white, scratch)
                : HighPassFromRows(image, x0, y0, w, h, white, scratch);
            float floor = ImageMarkDetector.WhiteningFloor(absSum, len, wy1 - wy0);
            ImageMarkDetector.PrepareNormalise(scratch, len);
            var (fx0, fx1, fy0, fy1) = ImageMarkDetector.UntouchedFoldWindow(w, h);
            for (int yb = wy0; yb < wy1; yb += ImageMarkDetector.NormBlock)
            {
                int ye = Math.Min(wy1, yb + ImageMarkDetector.NormBlock);
                ImageMarkDetector.NormaliseBlock(white, w, wx0, len, yb, ye, floor, scratch);
                int from = Math.Max(yb, fy0), to = Math.Min(ye, fy1);
                if (from < to) ImageMarkDetector.FoldUntouched(white, w, fx0, fx1, from, to, x0, y0, fold);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>The first pass for an image without alpha: luma rows computed into three rotating rows of
    /// <paramref name="scratch"/> (after the whitening's own scratch), each high-passed as soon as its lower neighbour is in.</summary>
    private static double HighPassFromRows(PixelBuffer image, int x0, int y0, int w, int h, float[] white, float[] scratch)
    {
        int rowsAt = ImageMarkDetector.WhiteningScratch(w - 2);
        Span<float> RowOf(int y) => scratch.AsSpan(rowsAt + y % 3 * w, w);
        ImageMarkDetector.LumaOfRow(image, x0, y0, RowOf(0));
        ImageMarkDetector.LumaOfRow(image, x0, y0 + 1, RowOf(1));
        double absSum = 0;
        for (int y = 1; y < h - 1; y++)
        {
            ImageMarkDetector.LumaOfRow(image, x0, y0 + y + 1, RowOf(y + 1));
            absSum += ImageMarkDetector.HighPassRow(RowOf(y - 1), RowOf(y), RowOf(y + 1), white, y * w, 1, w - 1, w, scratch);
        }
        return absSum;
    }

    /// <summary>The first pass for an image with alpha: the luma plane with hidden pixels filled, then high-passed row by row.</summary>
    private static double HighPassFromPlane(PixelBuffer image, int x0, int y0, int w, int h, float[] luma, float[] white, float[] scratch)
    {
        ImageMarkDetector.Luma(image, luma, x0, y0, w, h);
        double absSum = 0;
        for (int y = 1; y < h - 1; y++)
            absSum += ImageMarkDetector.HighPassRow(luma.AsSpan((y - 1) * w, w), luma.AsSpan(y * w, w), luma.AsSpan((y + 1) * w, w),
                white, y * w, 1, w - 1, w, scratch);
        return absSum;
    }
}
