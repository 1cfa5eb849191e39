namespace LabelStamp.Kernels.Tests;

/// <summary>The registered canvas's row add on every width against the scalar reference, bit for bit: odd lengths,
/// misaligned slices, sums that already hold fractions (a zoomed frame's bilinear samples) and counts at the ushort
/// limit, and the samples just past the row untouched. Seeds fixed (47, 53).</summary>
public class CanvasSumsTests
{
    public static TheoryData<VectorWidth> Widths => new() { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Equals_scalar_reference_at_odd_lengths_and_misaligned_offsets(VectorWidth width)
    {
        var rng = new Random(47);
        foreach (int length in Enumerable.Range(0, 140).Append(255).Append(257).Append(961).Append(1921))
            for (int offset = 0; offset <= 3; offset++)
            {
                byte[] row = new byte[length + offset];
                rng.NextBytes(row);
                int canvas = length + offset + 1;
                float[] expectedSums = new float[canvas], actualSums = new float[canvas];
                ushort[] expectedCounts = new ushort[canvas], actualCounts = new ushort[canvas];
                for (int i = 0; i < canvas; i++)
                {
                    expectedSums[i] = actualSums[i] = (float)(rng.NextDouble() * 30_000);
                    expectedCounts[i] = actualCounts[i] = (ushort)rng.Next(0, 65_536);
                }
                CanvasSums.AddScalarReference(row.AsSpan(offset, length), expectedSums.AsSpan(offset), expectedCounts.AsSpan(offset));
                CanvasSums.Add(row.AsSpan(offset, length), actualSums.AsSpan(offset), actualCounts.AsSpan(offset), width);
                Assert.Equal(expectedCounts, actualCounts);
                for (int i = 0; i < canvas; i++)
                    Assert.Equal(BitConverter.SingleToInt32Bits(expectedSums[i]), BitConverter.SingleToInt32Bits(actualSums[i]));
            }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Many_frames_give_each_samples_sum_and_count(VectorWidth width)
    {
        var rng = new Random(53);
        const int w = 333, frames = 120;
        float[] sums = new float[w];
        ushort[] counts = new ushort[w];
        long[] expected = new long[w];
        byte[] row = new byte[w];
        for (int f = 0; f < frames; f++)
        {
            rng.NextBytes(row);
            for (int x = 0; x < w; x++) expected[x] += row[x];
            CanvasSums.Add(row, sums, counts, width);
        }
        for (int x = 0; x < w; x++)
        {
            Assert.Equal(expected[x], (long)sums[x]);
            Assert.Equal(frames, counts[x]);
        }
    }

    [Fact]
    public void A_shorter_canvas_row_is_refused()
    {
        Assert.Throws<ArgumentException>(() => CanvasSums.Add(new byte[10], new float[9], new ushort[10]));
        Assert.Throws<ArgumentException>(() => CanvasSums.Add(new byte[10], new float[10], new ushort[9]));
    }
}
