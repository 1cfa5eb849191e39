namespace LabelStamp.Kernels.Tests;

/// <summary>The half-size row on every width against the scalar reference (integer arithmetic, so bit-exact): odd output
/// lengths, source rows longer than twice the output (an odd frame width), misaligned slices, the rounding at the top of
/// the range (255s), and the byte past the output untouched. Seed fixed (59).</summary>
public class BoxHalveTests
{
    public static TheoryData<VectorWidth> Widths => new() { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Equals_scalar_reference_at_odd_lengths_and_misaligned_offsets(VectorWidth width)
    {
        var rng = new Random(59);
        foreach (int length in Enumerable.Range(0, 140).Append(255).Append(257).Append(960).Append(1921))
            for (int offset = 0; offset <= 3; offset++)
                for (int extra = 0; extra <= 1; extra++)
                {
                    byte[] a = new byte[offset + 2 * length + extra], b = new byte[offset + 2 * length + extra];
                    rng.NextBytes(a);
                    rng.NextBytes(b);
                    byte[] expected = new byte[offset + length + 1], actual = new byte[offset + length + 1];
                    rng.NextBytes(expected);
                    expected.CopyTo(actual, 0);
                    BoxHalve.RowScalarReference(a.AsSpan(offset), b.AsSpan(offset), expected.AsSpan(offset, length));
                    BoxHalve.Row(a.AsSpan(offset), b.AsSpan(offset), actual.AsSpan(offset, length), width);
                    Assert.Equal(expected, actual);
                }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Rounds_half_up_and_keeps_white_white(VectorWidth width)
    {
        const int n = 77;
        byte[] white = Enumerable.Repeat((byte)255, 2 * n).ToArray();
        byte[] ones = Enumerable.Range(0, 2 * n).Select(i => (byte)(i % 2)).ToArray();   // one 1 in each row's pair
        byte[] zeros = new byte[2 * n];
        byte[] dest = new byte[n];
        BoxHalve.Row(white, white, dest, width);
        Assert.All(dest, v => Assert.Equal(255, v));
        BoxHalve.Row(ones, ones, dest, width);   // a block's mean 0.5: up
        Assert.All(dest, v => Assert.Equal(1, v));
        BoxHalve.Row(ones, zeros, dest, width);  // 0.25: down
        Assert.All(dest, v => Assert.Equal(0, v));
    }

    [Fact]
    public void Short_source_rows_are_refused() =>
        Assert.Throws<ArgumentException>(() => BoxHalve.Row(new byte[19], new byte[20], new byte[10]));
}
