using LabelStamp.Kernels;
using LabelStamp.Kernels.Fft;

namespace LabelStamp.Kernels.Tests;

/// <summary>The butterfly shape of <see cref="SpanDriver"/> (the FFT's stages run through it): every width
/// equals the operator's scalar reference on odd lengths and misaligned starts (seed 19).</summary>
public class ButterflyDriverTests
{
    public static TheoryData<VectorWidth> Widths => new() { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Every_width_equals_the_scalar_butterfly_bit_for_bit_at_odd_lengths_and_offsets(VectorWidth width)
    {
        var rng = new Random(19);
        foreach (int n in Enumerable.Range(1, 70).Append(1031))
            for (int offset = 0; offset <= 3; offset++)
            {
                float[][] v = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, n + offset)
                    .Select(_ => (float)(rng.NextDouble() * 20 - 10)).ToArray()).ToArray();
                float[][] expected = v.Select(a => (float[])a.Clone()).ToArray();
                for (int j = offset; j < n + offset; j++)
                    (expected[0][j], expected[1][j], expected[2][j], expected[3][j]) =
                        RadixTwoButterfly.Invoke(v[0][j], v[1][j], v[2][j], v[3][j], v[4][j], v[5][j]);
                SpanDriver.ApplyButterfly<RadixTwoButterfly>(v[0].AsSpan(offset), v[1].AsSpan(offset), v[2].AsSpan(offset), v[3].AsSpan(offset),
                    v[4].AsSpan(offset), v[5].AsSpan(offset), width);
                for (int k = 0; k < 4; k++) Assert.Equal(expected[k], v[k]);
            }
    }

    [Fact]
    public void Spans_of_different_lengths_are_refused()
    {
        float[] a = new float[8], b = new float[7];
        Assert.Throws<ArgumentException>(() => SpanDriver.ApplyButterfly<RadixTwoButterfly>(a, a, a, a, a, b));
    }
}
