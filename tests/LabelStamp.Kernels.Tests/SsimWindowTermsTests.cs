namespace LabelStamp.Kernels.Tests;

/// <summary>The SSIM window terms on every width against the scalar reference, to the bit (same float
/// operations in the same order): grey, grey + alpha, RGB and RGBA windows, odd window counts from 0 to
/// 70, misaligned slices, accumulators that already hold terms, extreme sums (black, white, fully
/// transparent, the largest variance). Seed fixed (37).</summary>
public class SsimWindowTermsTests
{
    public static TheoryData<VectorWidth> Widths => new() { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Equals_scalar_reference_for_every_layout_odd_counts_and_offsets(VectorWidth width)
    {
        var rng = new Random(37);
        foreach ((int bands, int colour) in new[] { (1, 1), (2, 1), (3, 3), (4, 3) })
            foreach (int n in Enumerable.Range(0, 71).Append(255))
                for (int offset = 0; offset <= 2; offset++)
                {
                    int total = bands * n + offset;
                    int[] sumsTop = new int[total], sumsBottom = new int[total], squaresTop = new int[total], squaresBottom = new int[total];
                    for (int i = offset; i < total; i++)
                    {
                        // 16 samples per half at most; a few windows black, white or at the largest variance.
                        int[] values = new int[16];
                        int kind = rng.Next(8);
                        for (int k = 0; k < 16; k++)
                            values[k] = kind == 0 ? 0 : kind == 1 ? 255 : kind == 2 ? (k % 2) * 255 : rng.Next(256);
                        int top = rng.Next(1, 17);
                        sumsTop[i] = values[..top].Sum(); squaresTop[i] = values[..top].Sum(v => v * v);
                        sumsBottom[i] = values[top..].Sum(); squaresBottom[i] = values[top..].Sum(v => v * v);
                    }
                    float[] inverse = new float[n + offset];
                    for (int j = 0; j < inverse.Length; j++) inverse[j] = 1f / (j % 5 == 4 ? rng.Next(1, 16) : 16);
                    float[][] expected = Seeded(rng, n + offset), actual = expected.Select(a => (float[])a.Clone()).ToArray();
                    SsimWindowTerms.AccumulateScalarReference(sumsTop.AsSpan(offset), sumsBottom.AsSpan(offset), squaresTop.AsSpan(offset),
                        squaresBottom.AsSpan(offset), bands, colour, inverse.AsSpan(offset), expected[0].AsSpan(offset), expected[1].AsSpan(offset), expected[2].AsSpan(offset));
                    SsimWindowTerms.Accumulate(sumsTop.AsSpan(offset), sumsBottom.AsSpan(offset), squaresTop.AsSpan(offset),
                        squaresBottom.AsSpan(offset), bands, colour, inverse.AsSpan(offset), actual[0].AsSpan(offset), actual[1].AsSpan(offset), actual[2].AsSpan(offset), width);
                    for (int k = 0; k < 3; k++)
                        Assert.Equal(expected[k].Select(BitConverter.SingleToInt32Bits), actual[k].Select(BitConverter.SingleToInt32Bits));
                }
    }

    [Fact]
    public void A_flat_opaque_grey_window_has_the_textbook_terms()
    {
        // 16 samples of 100: μ = 100, σ = 0, α = 1 → energy 0.75, ratio 0.75 / C2, luminance 0.25 / (2·100² + C1).
        int[] sums = [800], squares = [80_000];
        float[] energy = [0], ratio = [0], luminance = [0];
        SsimWindowTerms.Accumulate(sums, sums, squares, squares, 1, 1, [1f / 16], energy, ratio, luminance);
        Assert.Equal(0.75f, energy[0]);
        Assert.Equal(0.75f / SsimWindowTerms.C2, ratio[0], 6);
        Assert.Equal(0.25f / (2 * 100f * 100f + SsimWindowTerms.C1), luminance[0], 9);
    }

    [Fact]
    public void Rejects_sums_shorter_than_the_windows() =>
        Assert.Throws<ArgumentException>(() => SsimWindowTerms.Accumulate(new int[5], new int[6], new int[6], new int[6], 3, 3,
            new float[2], new float[2], new float[2], new float[2]));

    private static float[][] Seeded(Random rng, int length)
    {
        var arrays = new float[3][];
        for (int k = 0; k < 3; k++)
        {
            arrays[k] = new float[length];
            for (int j = 0; j < length; j++) arrays[k][j] = (float)rng.NextDouble();
        }
        return arrays;
    }

    /// <summary>The per-block finish at every width against its loop, to the bit: both window counts (0.5 and 1), odd
    /// lengths 0-70 and 255, misaligned slices, zero ratios (fully transparent blocks take +∞) and the values a real
    /// pass gives (energy up to 1.5, ratios from 1e-7). Seed fixed (53).</summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void Finish_equals_the_per_block_loop_at_odd_lengths_and_offsets(VectorWidth width)
    {
        var rng = new Random(53);
        foreach (float share in new[] { 0.5f, 1f })
            foreach (int n in Enumerable.Range(0, 71).Append(255))
                for (int offset = 0; offset <= 2; offset++)
                {
                    float[][] expected = new float[4][];
                    for (int k = 0; k < 4; k++)
                    {
                        expected[k] = new float[n + offset + 1];
                        for (int j = 0; j < expected[k].Length; j++) expected[k][j] = (float)(rng.NextDouble() * 1.5);
                    }
                    for (int j = offset; j < n + offset; j++)
                        if (rng.Next(5) == 0) expected[0][j] = expected[2][j] = 0;   // transparent: no energy, no ratio
                        else if (rng.Next(5) == 0) expected[2][j] = 1e-7f * (float)rng.NextDouble() + 1e-9f;
                    float[][] actual = expected.Select(a => (float[])a.Clone()).ToArray();
                    SsimWindowTerms.FinishScalarReference(expected[0].AsSpan(offset, n), expected[1].AsSpan(offset, n), expected[2].AsSpan(offset, n),
                        expected[3].AsSpan(offset, n), share);
                    SsimWindowTerms.Finish(actual[0].AsSpan(offset, n), actual[1].AsSpan(offset, n), actual[2].AsSpan(offset, n),
                        actual[3].AsSpan(offset, n), share, width);
                    for (int k = 0; k < 4; k++)
                        Assert.Equal(expected[k].Select(BitConverter.SingleToInt32Bits), actual[k].Select(BitConverter.SingleToInt32Bits));
                    if (n > 0 && expected[2][offset] == 0) Assert.Equal(float.PositiveInfinity, actual[3][offset]);
                }
    }
}
