using LabelStamp.Kernels;

namespace LabelStamp.Kernels.Tests;

/// <summary>The sync statistic's sums in 16 float lanes (<see cref="SpanDriver.LaneSum{TOp}"/> over
/// <see cref="SquareOperator"/> and <see cref="IdentityOperator"/>) on every width against the lane-ordered scalar
/// reference, bit for bit, at odd lengths and misaligned offsets, and within float rounding of a double sum. Seed 31.</summary>
public class LaneSumTests
{
    public static TheoryData<VectorWidth> Widths => [VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto];

    private static float[] Random(Random rng, int n)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)((rng.NextDouble() - 0.5) * Math.Exp(rng.NextDouble() * 6 - 3));
        return a;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Sum_of_squares_equals_the_scalar_reference_bit_for_bit(VectorWidth width)
    {
        var rng = new Random(31);
        foreach (int l in Enumerable.Range(0, 70).Append(1027).Append(65536))
            for (int offset = 0; offset <= 3; offset++)
            {
                float[] x = Random(rng, l + offset);
                float expected = SpanDriver.LaneSumScalarReference<SquareOperator>(x.AsSpan(offset));
                Assert.Equal(BitConverter.SingleToInt32Bits(expected),
                    BitConverter.SingleToInt32Bits(SpanDriver.LaneSum<SquareOperator>(x.AsSpan(offset), width)));
                double exact = x.Skip(offset).Sum(v => (double)v * v);
                Assert.Equal(exact, expected, 1e-5 * Math.Max(1e-30, exact));
            }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Plain_sum_equals_the_scalar_reference_bit_for_bit(VectorWidth width)
    {
        var rng = new Random(32);
        foreach (int l in Enumerable.Range(0, 70).Append(1027).Append(65536))
            for (int offset = 0; offset <= 3; offset++)
            {
                float[] x = Random(rng, l + offset);
                for (int i = 0; i < x.Length; i++) x[i] = Math.Abs(x[i]) * (i % 7 == 0 ? -0.01f : 1f);
                float expected = SpanDriver.LaneSumScalarReference<IdentityOperator>(x.AsSpan(offset));
                Assert.Equal(BitConverter.SingleToInt32Bits(expected),
                    BitConverter.SingleToInt32Bits(SpanDriver.LaneSum<IdentityOperator>(x.AsSpan(offset), width)));
                double exact = x.Skip(offset).Sum(v => (double)v);
                Assert.Equal(exact, expected, 1e-5 * Math.Max(1e-30, x.Skip(offset).Sum(v => Math.Abs((double)v))));
            }
    }
}
