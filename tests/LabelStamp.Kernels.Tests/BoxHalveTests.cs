namespace LabelStamp.Kernels.Tests;

/// <summary>The 2 × 2 halving kernel on every width against its scalar reference (integer, so
/// bit-exact), on odd output lengths and misaligned slices. Seed fixed (29).</summary>
public class BoxHalveTests
{
    public static TheoryData<VectorWidth> Widths => new() { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Equals_scalar_reference_at_odd_lengths_and_misaligned_offsets(VectorWidth width)
    {
        var rng = new Random(29);
        foreach (int n in Enumerable.Range(1, 70).Append(97).Append(129).Append(480))
            for (int offset = 0; offset <= 3; offset++)
            {
                byte[] top = new byte[2 * n + offset], bottom = new byte[2 * n + offset];
                rng.NextBytes(top); rng.NextBytes(bottom);
                top[offset] = top[offset + 1] = bottom[offset] = bottom[offset + 1] = 255;   // the largest sum
                top[^1] = 1; bottom[^1] = 0; top[^2] = 0; bottom[^2] = 1;                   // 2 / 4 rounds up
                byte[] expected = new byte[n + offset], actual = new byte[n + offset];
                BoxHalve.RowScalarReference(top.AsSpan(offset), bottom.AsSpan(offset), expected.AsSpan(offset));
                BoxHalve.Row(top.AsSpan(offset), bottom.AsSpan(offset), actual.AsSpan(offset), width);
                Assert.Equal(expected, actual);
            }
    }

    [Fact]
    public void Rounds_half_up()
    {
        byte[] dest = new byte[2];
        BoxHalve.Row([1, 1, 1, 0], [0, 0, 0, 0], dest);   // means 0.5 and 0.25
        Assert.Equal(new byte[] { 1, 0 }, dest);
    }

    [Fact]
    public void Rejects_source_rows_shorter_than_two_samples_per_output() =>
        Assert.Throws<ArgumentException>(() => BoxHalve.Row(new byte[31], new byte[32], new byte[16]));
}
