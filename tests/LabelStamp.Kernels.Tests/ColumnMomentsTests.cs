namespace LabelStamp.Kernels.Tests;

/// <summary>The block-statistics kernel on every width against its scalar reference (integer sums, so
/// bit-exact), on odd lengths, misaligned slices and accumulators that already hold sums. Seed fixed (29).</summary>
public class ColumnMomentsTests
{
    public static TheoryData<VectorWidth> Widths => new() { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Equals_scalar_reference_at_odd_lengths_and_misaligned_offsets(VectorWidth width)
    {
        var rng = new Random(29);
        foreach (int length in Enumerable.Range(0, 70).Append(127).Append(129).Append(1001))
            for (int offset = 0; offset <= 3; offset++)
            {
                byte[] row = new byte[length + offset];
                rng.NextBytes(row);
                if (length > 0) row[offset + length - 1] = 255;   // the largest square, in the tail
                ushort[] expectedSums = new ushort[length + offset], actualSums = new ushort[length + offset];
                uint[] expectedSquares = new uint[length + offset], actualSquares = new uint[length + offset];
                for (int i = 0; i < expectedSums.Length; i++)
                {
                    expectedSums[i] = actualSums[i] = (ushort)rng.Next(0, 1800);
                    expectedSquares[i] = actualSquares[i] = (uint)rng.Next(0, 400_000);
                }
                // Three rows on top of what is there: the accumulators must add, never overwrite.
                for (int pass = 0; pass < 3; pass++)
                {
                    ColumnMoments.AccumulateScalarReference(row.AsSpan(offset, length), expectedSums.AsSpan(offset), expectedSquares.AsSpan(offset));
                    ColumnMoments.Accumulate(row.AsSpan(offset, length), actualSums.AsSpan(offset), actualSquares.AsSpan(offset), width);
                }
                Assert.Equal(expectedSums, actualSums);
                Assert.Equal(expectedSquares, actualSquares);
            }
    }

    [Fact]
    public void Eight_white_rows_sum_without_overflow()
    {
        byte[] row = Enumerable.Repeat((byte)255, 200).ToArray();
        ushort[] sums = new ushort[200];
        uint[] squares = new uint[200];
        for (int r = 0; r < 8; r++) ColumnMoments.Accumulate(row, sums, squares);
        Assert.All(sums, s => Assert.Equal(8 * 255, s));
        Assert.All(squares, q => Assert.Equal(8u * 255 * 255, q));
    }

    [Fact]
    public void Rejects_accumulators_shorter_than_the_row() =>
        Assert.Throws<ArgumentException>(() => ColumnMoments.Accumulate(new byte[16], new ushort[15], new uint[16]));
}
