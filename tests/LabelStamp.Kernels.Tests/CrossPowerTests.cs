using LabelStamp.Kernels;

namespace LabelStamp.Kernels.Tests;

public class CrossPowerTests
{
    public static TheoryData<VectorWidth> Widths => new() { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512 };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Equals_scalar_reference_bit_for_bit_at_odd_lengths_and_misaligned_offsets(VectorWidth width)
    {
        var rng = new Random(12);
        foreach (int n in Enumerable.Range(1, 67).Append(1023))
            for (int offset = 0; offset <= 3; offset++)
            {
                float[][] a = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, n + offset)
                    .Select(_ => (float)(rng.NextDouble() * 200 - 100)).ToArray()).ToArray();
                float[] er = new float[n + offset], ei = new float[n + offset], gr = new float[n + offset], gi = new float[n + offset];
                CrossPower.ApplyScalarReference(a[0].AsSpan(offset), a[1].AsSpan(offset), a[2].AsSpan(offset), a[3].AsSpan(offset),
                    er.AsSpan(offset), ei.AsSpan(offset));
                CrossPower.Apply(a[0].AsSpan(offset), a[1].AsSpan(offset), a[2].AsSpan(offset), a[3].AsSpan(offset),
                    gr.AsSpan(offset), gi.AsSpan(offset), width);
                Assert.Equal(er, gr);
                Assert.Equal(ei, gi);
            }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Works_in_place_as_a_power_spectrum(VectorWidth width)
    {
        float[] re = Enumerable.Range(0, 37).Select(i => i * 0.5f - 3).ToArray();
        float[] im = Enumerable.Range(0, 37).Select(i => 7 - i * 0.25f).ToArray();
        float[] expected = re.Zip(im, (r, i) => r * r + i * i).ToArray();
        CrossPower.Apply(re, im, re, im, re, im, width);
        Assert.Equal(expected, re);
        Assert.All(im, v => Assert.Equal(0f, v));
    }
}
