using LabelStamp.Kernels;

namespace LabelStamp.Kernels.Tests;

/// <summary>The chip-mean kernels (<see cref="ChipMeans"/>) on every width against their scalar references,
/// bit for bit, at every length from the shortest to past two Vector512s, odd ones included, and at slice
/// offsets 0-3 (misaligned heads and overlapping tails). Seed fixed (2308).</summary>
public class ChipMeansTests
{
    public static TheoryData<VectorWidth> Widths => [VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto];

    private static float[] Random(Random rng, int n, double lo, double hi)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(lo + rng.NextDouble() * (hi - lo));
        return a;
    }

    private static IEnumerable<int> Lengths(int shortest) => Enumerable.Range(shortest, 70).Append(257).Append(1027);

    [Theory]
    [MemberData(nameof(Widths))]
    public void AddRunsOfFour_equals_the_scalar_reference_bit_for_bit(VectorWidth width)
    {
        var rng = new Random(2308);
        foreach (int l in Lengths(4))
            for (int offset = 0; offset <= 3; offset++)
            {
                // Luma-like values with fractions (0.299 R + …), accumulated over four rows as the fold does.
                float[] acc0 = Random(rng, l - 3 + offset, 0, 4 * 255);
                float[] expected = (float[])acc0.Clone(), actual = (float[])acc0.Clone(), scratch = new float[l + offset];
                for (int row = 0; row < 4; row++)
                {
                    float[] x = Random(rng, l + offset, 0, 255);
                    ChipMeans.AddRunsOfFourScalarReference(x.AsSpan(offset), expected.AsSpan(offset));
                    ChipMeans.AddRunsOfFour(x.AsSpan(offset), actual.AsSpan(offset), scratch.AsSpan(offset), width);
                }
                Assert.Equal(expected, actual);
            }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void NeighbourResidual_equals_the_scalar_reference_bit_for_bit(VectorWidth width)
    {
        var rng = new Random(2309);
        foreach (int l in Lengths(3))
            for (int offset = 0; offset <= 3; offset++)
            {
                float[] up = Random(rng, l + offset, 0, 255), mid = Random(rng, l + offset, 0, 255), down = Random(rng, l + offset, 0, 255);
                float[] expected = new float[l - 2 + offset], actual = new float[l - 2 + offset], scratch = new float[l + offset];
                ChipMeans.NeighbourResidualScalarReference(up.AsSpan(offset), mid.AsSpan(offset), down.AsSpan(offset), expected.AsSpan(offset));
                ChipMeans.NeighbourResidual(up.AsSpan(offset), mid.AsSpan(offset), down.AsSpan(offset), actual.AsSpan(offset), scratch.AsSpan(offset), width);
                Assert.Equal(expected, actual);
            }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void WeighedResidual_equals_the_scalar_reference_bit_for_bit(VectorWidth width)
    {
        var rng = new Random(2310);
        foreach (int l in Lengths(3))
            for (int offset = 0; offset <= 3; offset++)
            {
                // Residuals of both signs, some tiny against the floor and some far beyond the limit once divided.
                float[] up = Random(rng, l + offset, -20, 20), mid = Random(rng, l + offset, -20, 20), down = Random(rng, l + offset, -20, 20);
                if (l > 5) { mid[offset + 2] = 400; mid[offset + 4] = -400; up[offset + 1] = 0; }
                float[] expected = new float[l - 2 + offset], actual = new float[l - 2 + offset], scratch = new float[5 * l + offset];
                ChipMeans.WeighedResidualScalarReference(up.AsSpan(offset), mid.AsSpan(offset), down.AsSpan(offset), 0.7f, 2.5f, expected.AsSpan(offset));
                ChipMeans.WeighedResidual(up.AsSpan(offset), mid.AsSpan(offset), down.AsSpan(offset), 0.7f, 2.5f, actual.AsSpan(offset), scratch.AsSpan(offset), width);
                Assert.Equal(expected, actual);
                if (l > 5) Assert.Contains(2.5f, expected);
            }
    }

    [Fact]
    public void The_kernels_compute_what_they_say()
    {
        // Hand-checked values: a run of four, a spike among eight zeros, a lone residual over a quiet neighbourhood.
        float[] acc = new float[2];
        ChipMeans.AddRunsOfFour([1, 2, 3, 4, 5], acc, new float[2]);
        Assert.Equal(new[] { 10f, 14f }, acc);
        float[] zero = new float[3], spike = [0, 8, 0], r = new float[1];
        ChipMeans.NeighbourResidual(zero, spike, zero, r, new float[1]);
        Assert.Equal(8f, r[0]);
        ChipMeans.NeighbourResidual(spike, zero, zero, r, new float[1]);
        Assert.Equal(-1f, r[0]);
        float[] v = new float[1];
        ChipMeans.WeighedResidual(zero, [0, 0.9f, 0], zero, 0.5f, 2.5f, v, new float[15]);
        Assert.Equal(1.5f, v[0], 1e-6f);
        ChipMeans.WeighedResidual(zero, [0, 9f, 0], zero, 0f, 2.5f, v, new float[15]);
        Assert.Equal(2.5f, v[0]);
    }
}
