namespace LabelStamp.Kernels.Tests;

/// <summary>The block-matching kernel on every width against its scalar reference (integer sums, so
/// bit-exact), on every length 0-70 plus long rows, at misaligned offsets, with the largest differences
/// at both ends; the portable path (no PSADBW, as on ARM64) too. Seed fixed (31).</summary>
public class RowSadTests
{
    public static TheoryData<VectorWidth> Widths => new() { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Equals_scalar_reference_at_odd_lengths_and_misaligned_offsets(VectorWidth width) =>
        AssertEqualsReferenceInEveryCase((a, b) => RowSad.Sum(a, b, width));

    [Fact]
    public void Portable_path_equals_scalar_reference_at_odd_lengths_and_misaligned_offsets() =>
        AssertEqualsReferenceInEveryCase(RowSad.SumPortable);

    private delegate long SadPath(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b);

    private static void AssertEqualsReferenceInEveryCase(SadPath path)
    {
        var rng = new Random(31);
        foreach (int length in Enumerable.Range(0, 71).Append(127).Append(1023).Append(4097))
            for (int offset = 0; offset <= 3; offset++)
            {
                byte[] a = new byte[length + offset], b = new byte[length + offset + 1];
                rng.NextBytes(a); rng.NextBytes(b);
                if (length > 0)
                {
                    a[offset] = 0; b[offset + 1] = 255;             // the largest difference, first sample
                    a[^1] = 255; b[offset + length] = 0;            // and last
                }
                var x = a.AsSpan(offset, length);
                var y = b.AsSpan(offset + 1, length);               // the second row misaligned against the first
                Assert.Equal(RowSad.SumScalarReference(x, y), path(x, y));
            }
    }

    [Fact]
    public void All_maximal_differences_on_a_long_row_do_not_overflow()
    {
        byte[] a = new byte[1 << 16], b = new byte[1 << 16];
        Array.Fill(b, (byte)255);
        Assert.Equal(255L << 16, RowSad.Sum(a, b));
        Assert.Equal(255L << 16, RowSad.SumPortable(a, b));
    }

    [Fact]
    public void Rejects_rows_of_different_lengths() =>
        Assert.Throws<ArgumentException>(() => RowSad.Sum(new byte[16], new byte[17]));
}
