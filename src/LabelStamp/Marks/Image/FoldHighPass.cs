namespace LabelStamp.Marks.Image;

/// <summary>
/// A fold minus its cyclic 3 × 3 mean: the detector's pixel high-pass applied once more, to the fold of an image
/// under two periods a side (<see cref="ImageMarkDetector"/>, "the untouched geometry, high-passed again"). Summing a
/// chip's 16 samples of this plane correlates the whitened image with the chip as the whitening shaped it (the
/// 3 × 3 high-pass is symmetric, so the box sum of HP(fold) is the fold's correlation with HP(chip)): the matched
/// filter when what is left of the host after the whitening is close to white, which is the case on canvas texture,
/// dense photo detail and noisy dark images, and not on text pages and flat art, whose residual is a few glyph edges
/// (there the plain box sum wins). Measured at the true geometry on corpus images of 256-384 px after JPEG q75
/// (bench/WATERMARK.md, eleventh step): sync statistic 6.9 → 10.4 on a canvas painting, 7.1 → 9.8 on a dark noisy
/// image, 16.6 → 13.9 on a text page.
/// </summary>
internal static class FoldHighPass
{
    private const int P = ImageMarkLayout.Period;

    /// <summary>Writes <paramref name="fold"/> minus the mean of its cyclic 3 × 3 neighbourhood into
    /// <paramref name="output"/> (every sample written; <paramref name="rows"/> is scratch of the same size).</summary>
    public static void Apply(float[] fold, float[] rows, float[] output)
    {
        if (fold.Length != P * P || rows.Length != P * P || output.Length != P * P)
            throw new ArgumentException("planes are one tile (Period²)");
        // Separable: three-sample sums along each row, then along each column of those sums.
        for (int y = 0; y < P; y++)
        {
            int o = y * P;
            for (int x = 0; x < P; x++)
                rows[o + x] = fold[o + ((x - 1) & (P - 1))] + fold[o + x] + fold[o + ((x + 1) & (P - 1))];
        }
        const float ninth = 1f / 9f;
        for (int y = 0; y < P; y++)
        {
            int up = ((y - 1) & (P - 1)) * P, o = y * P, down = ((y + 1) & (P - 1)) * P;
            for (int x = 0; x < P; x++)
                output[o + x] = fold[o + x] - (rows[up + x] + rows[o + x] + rows[down + x]) * ninth;
        }
    }
}
