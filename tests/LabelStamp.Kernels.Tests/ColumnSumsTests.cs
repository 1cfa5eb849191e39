namespace LabelStamp.Kernels.Tests;

/// <summary>The box reduction's row adds on every width against the scalar reference (integer adds, so
/// bit-exact), on odd lengths, misaligned slices, stale accumulators near the ushort limit, and a band of
/// rows summed into one accumulator. Seeds fixed (41, 43).</summary>
public class ColumnSumsTests
{
    public static TheoryData<VectorWidth> Widths => new() { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Equals_scalar_reference_at_odd_lengths_and_misaligned_offsets(VectorWidth width)
    {
        var rng = new Random(41);
        foreach (int length in Enumerable.Range(0, 140).Append(255).Append(257).Append(1921))
            for (int offset = 0; offset <= 3; offset++)
            {
                byte[] row = new byte[length + offset];
                rng.NextBytes(row);
                ushort[] expected = new ushort[length + offset + 1], actual = new ushort[length + offset + 1];
                for (int i = 0; i < expected.Length; i++) expected[i] = actual[i] = (ushort)rng.Next(0, 65_536);
                ColumnSums.AccumulateScalarReference(row.AsSpan(offset, length), expected.AsSpan(offset));
                ColumnSums.Accumulate(row.AsSpan(offset, length), actual.AsSpan(offset), width);
                // The element past the row is stale and must stay so.
                Assert.Equal(expected, actual);
            }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void A_band_of_rows_gives_each_columns_sum(VectorWidth width)
    {
        var rng = new Random(43);
        const int w = 333, rows = 16;
        byte[] plane = new byte[w * rows];
        rng.NextBytes(plane);
        ushort[] sums = new ushort[w];
        for (int y = 0; y < rows; y++) ColumnSums.Accumulate(plane.AsSpan(y * w, w), sums, width);
        for (int x = 0; x < w; x++)
        {
            int s = 0;
            for (int y = 0; y < rows; y++) s += plane[y * w + x];
            Assert.Equal(s, sums[x]);
        }
    }

    [Fact]
    public void Shorter_sums_are_refused() =>
        Assert.Throws<ArgumentException>(() => ColumnSums.Accumulate(new byte[10], new ushort[9]));
}
