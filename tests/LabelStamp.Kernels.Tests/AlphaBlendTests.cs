using LabelStamp.Kernels;

namespace LabelStamp.Kernels.Tests;

/// <summary>Every width of the blend kernel equals the textbook formula, on odd lengths and misaligned
/// slices. Random data from a fixed seed (20261123) so a failure reproduces.</summary>
public class AlphaBlendTests
{
    public static TheoryData<VectorWidth> Widths => [VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto];

    [Theory]
    [MemberData(nameof(Widths))]
    public void Every_width_matches_the_reference_on_odd_lengths_and_misaligned_tails(VectorWidth width)
    {
        var random = new Random(20261123);
        int[] lengths = [.. Enumerable.Range(0, 131), 255, 1023, 4097];
        foreach (int length in lengths)
            for (int offset = 0; offset < 4; offset++)
            {
                byte[] dest = new byte[length + offset], colour = new byte[length + offset], alpha = new byte[length + offset];
                random.NextBytes(dest); random.NextBytes(colour); random.NextBytes(alpha);
                byte[] expected = (byte[])dest.Clone();
                AlphaBlend.RowScalarReference(expected.AsSpan(offset), colour.AsSpan(offset), alpha.AsSpan(offset));
                AlphaBlend.Row(dest.AsSpan(offset), colour.AsSpan(offset), alpha.AsSpan(offset), width);
                Assert.True(expected.AsSpan().SequenceEqual(dest), $"width {width}, length {length}, offset {offset}");
            }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Extremes_are_exact(VectorWidth width)
    {
        // All 256 × 256 × (0, 1, 127, 128, 254, 255) combinations in one row: covers every rounding edge of /255.
        var d = new List<byte>(); var c = new List<byte>(); var a = new List<byte>();
        foreach (byte al in new byte[] { 0, 1, 127, 128, 254, 255 })
            for (int x = 0; x < 256; x++)
                for (int y = 0; y < 256; y++) { d.Add((byte)x); c.Add((byte)y); a.Add(al); }
        byte[] dest = [.. d], expected = [.. d];
        AlphaBlend.RowScalarReference(expected, [.. c], [.. a]);
        AlphaBlend.Row(dest, [.. c], [.. a], width);
        Assert.Equal(expected, dest);
        Assert.Equal(d[5], dest[5]); // alpha 0 block leaves the destination untouched
    }

    [Fact]
    public void Auto_resolves_to_an_accelerated_width_only_when_the_hardware_has_one()
    {
        bool accelerated = System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated;
        Assert.Equal(accelerated, SpanDriver.BestWidth != VectorWidth.Scalar);
    }

    [Fact]
    public void Mismatched_lengths_are_refused()
    {
        Assert.Throws<ArgumentException>(() => AlphaBlend.Row(new byte[10], new byte[9], new byte[10]));
    }
}
