namespace LabelStamp.Kernels.Tests;

/// <summary>The delta spreading kernel on every width against its scalar reference (integer, so
/// bit-exact), on odd lengths, misaligned slices and deltas up to ±255 that clamp at both ends.
/// Seed fixed (31).</summary>
public class DeltaSpreadTests
{
    public static TheoryData<VectorWidth> Widths => new() { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Equals_scalar_reference_at_odd_lengths_and_misaligned_offsets(VectorWidth width)
    {
        var rng = new Random(31);
        foreach (int n in Enumerable.Range(1, 70).Append(97).Append(129).Append(480))
            for (int offset = 0; offset <= 3; offset++)
            {
                byte[] after = new byte[n + offset], before = new byte[n + offset];
                rng.NextBytes(before);
                // Mostly small changes like a mark's, some extreme ones, some none.
                for (int i = 0; i < after.Length; i++)
                    after[i] = (i % 7) switch
                    {
                        0 => before[i],
                        1 => (byte)(255 - before[i]),
                        _ => (byte)Math.Clamp(before[i] + rng.Next(-12, 13), 0, 255),
                    };
                after[offset] = 255; before[offset] = 0;   // +255
                after[^1] = 0; before[^1] = 255;           // −255
                byte[] top = new byte[2 * n + offset], bottom = new byte[2 * n + offset];
                rng.NextBytes(top); rng.NextBytes(bottom);
                byte[] expectedTop = (byte[])top.Clone(), expectedBottom = (byte[])bottom.Clone();
                DeltaSpread.RowsScalarReference(after.AsSpan(offset), before.AsSpan(offset), expectedTop.AsSpan(offset), expectedBottom.AsSpan(offset));
                DeltaSpread.Rows(after.AsSpan(offset), before.AsSpan(offset), top.AsSpan(offset), bottom.AsSpan(offset), width);
                Assert.Equal(expectedTop, top);
                Assert.Equal(expectedBottom, bottom);
            }
    }

    [Fact]
    public void Each_delta_reaches_exactly_its_two_by_two_block()
    {
        byte[] top = [100, 100, 100, 100], bottom = [250, 250, 10, 10];
        DeltaSpread.Rows([13, 20], [10, 30], top, bottom);   // +3, −10
        Assert.Equal(new byte[] { 103, 103, 90, 90 }, top);
        Assert.Equal(new byte[] { 253, 253, 0, 0 }, bottom);
    }

    [Fact]
    public void Rejects_mismatched_rows() =>
        Assert.Throws<ArgumentException>(() => DeltaSpread.Rows(new byte[8], new byte[7], new byte[16], new byte[16]));
}
