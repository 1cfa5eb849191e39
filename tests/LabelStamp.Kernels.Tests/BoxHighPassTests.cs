using LabelStamp.Kernels;

namespace LabelStamp.Kernels.Tests;

/// <summary>The detector's whitening kernels (<see cref="BoxHighPass"/>, <see cref="MagnitudeSum"/>) on
/// every width against their scalar references, bit for bit, at odd lengths and misaligned offsets.
/// Seed fixed (77).</summary>
public class BoxHighPassTests
{
    public static TheoryData<VectorWidth> Widths => [VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto];

    private static float[] Random(Random rng, int n)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(rng.NextDouble() * 510 - 255);
        return a;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Row_equals_the_scalar_reference_bit_for_bit(VectorWidth width)
    {
        var rng = new Random(77);
        foreach (int l in Enumerable.Range(3, 70).Append(1027))
            for (int offset = 0; offset <= 3; offset++)
            {
                float[] up = Random(rng, l + offset), mid = Random(rng, l + offset), down = Random(rng, l + offset);
                float[] expected = new float[l - 2 + offset], actual = new float[l - 2 + offset], scratch = new float[l + 5];
                BoxHighPass.RowScalarReference(up.AsSpan(offset), mid.AsSpan(offset), down.AsSpan(offset), expected.AsSpan(offset));
                BoxHighPass.Row(up.AsSpan(offset), mid.AsSpan(offset), down.AsSpan(offset), actual.AsSpan(offset), scratch.AsSpan(offset), width);
                Assert.Equal(expected, actual);
            }
    }

    [Fact]
    public void Row_removes_the_box_mean()
    {
        // A constant plane has no residual; a lone spike of 9 keeps 8 at its centre and −1 around it.
        float[] flat = Enumerable.Repeat(40f, 9).ToArray(), outRow = new float[7], scratch = new float[9];
        BoxHighPass.Row(flat, flat, flat, outRow, scratch);
        Assert.All(outRow, v => Assert.Equal(0f, v, 1e-4f));
        float[] zero = new float[5], spike = [0, 0, 9, 0, 0], r = new float[3];
        BoxHighPass.Row(zero, spike, zero, r, new float[5]);
        Assert.Equal(new[] { -1f, 8f, -1f }, r);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Clip_equals_the_scalar_clamp(VectorWidth width)
    {
        var rng = new Random(78);
        foreach (int l in Enumerable.Range(1, 70).Append(1027))
        {
            float[] row = Random(rng, l), low = Enumerable.Repeat(-100f, l).ToArray(), high = Enumerable.Repeat(100f, l).ToArray();
            float[] expected = row.Select(v => Math.Clamp(v, -100f, 100f)).ToArray();
            BoxHighPass.Clip(row.AsSpan(l % 3), low, high, width);
            Assert.Equal(expected.AsSpan(l % 3).ToArray(), row.AsSpan(l % 3).ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void MagnitudeSum_equals_the_scalar_reference_bit_for_bit(VectorWidth width)
    {
        var rng = new Random(79);
        foreach (int l in Enumerable.Range(0, 70).Append(1027).Append(4099))
            for (int offset = 0; offset <= 3; offset++)
            {
                float[] x = Random(rng, l + offset);
                float expected = MagnitudeSum.OfScalarReference(x.AsSpan(offset));
                Assert.Equal(expected, MagnitudeSum.Of(x.AsSpan(offset), width));
                Assert.Equal(x.Skip(offset).Sum(v => (double)Math.Abs(v)), expected, 1e-3 * Math.Max(1, expected));
            }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void AccumulateMagnitude_equals_the_scalar_path_bit_for_bit(VectorWidth width)
    {
        var rng = new Random(80);
        foreach (int l in Enumerable.Range(1, 70).Append(1027))
            for (int offset = 0; offset <= 3; offset++)
            {
                float[] row = Random(rng, l + offset), weight = Random(rng, l + offset), acc = Random(rng, l + offset);
                float[] expected = (float[])acc.Clone(), actual = (float[])acc.Clone();
                BoxHighPass.AccumulateMagnitude(row.AsSpan(offset), weight.AsSpan(offset), expected.AsSpan(offset), VectorWidth.Scalar);
                BoxHighPass.AccumulateMagnitude(row.AsSpan(offset), weight.AsSpan(offset), actual.AsSpan(offset), width);
                Assert.Equal(expected, actual);
                for (int i = offset; i < l + offset; i++)
                    Assert.Equal(MathF.Abs(row[i]) * weight[i] + acc[i], expected[i]);
            }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void ScaleClamp_equals_the_scalar_path_bit_for_bit(VectorWidth width)
    {
        var rng = new Random(81);
        foreach (int l in Enumerable.Range(1, 70).Append(1027))
            for (int offset = 0; offset <= 3; offset++)
            {
                float[] row = Random(rng, l + offset), gain = Random(rng, l + offset);
                float[] limit = Random(rng, l + offset).Select(MathF.Abs).ToArray();
                float[] expected = (float[])row.Clone(), actual = (float[])row.Clone();
                BoxHighPass.ScaleClamp(expected.AsSpan(offset), gain.AsSpan(offset), limit.AsSpan(offset), VectorWidth.Scalar);
                BoxHighPass.ScaleClamp(actual.AsSpan(offset), gain.AsSpan(offset), limit.AsSpan(offset), width);
                Assert.Equal(expected, actual);
                for (int i = offset; i < l + offset; i++)
                {
                    Assert.True(Math.Abs(expected[i]) <= limit[i]);
                    Assert.Equal(Math.Clamp(row[i] * gain[i], -limit[i], limit[i]), expected[i]);
                }
            }
    }
}
