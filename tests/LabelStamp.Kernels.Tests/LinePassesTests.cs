using LabelStamp.Kernels;
using LabelStamp.Kernels.Fft;

namespace LabelStamp.Kernels.Tests;

/// <summary><see cref="LinePasses"/> at every width against the scalar loops it replaced, bit for bit: lengths 1-67 and
/// 1,023 (row lengths 2-134 and 1,024 for the Hermitian passes), spans starting 0-3 floats into their arrays, random
/// values with zeros of both signs, infinities and subnormals mixed in. Seed fixed (71).</summary>
public class LinePassesTests
{
    public static TheoryData<VectorWidth> Widths => new() { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto };

    private static float[] Values(Random rng, int n)
    {
        float[] special = [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, 1e-40f, -1e-40f, float.MaxValue];
        var a = new float[n];
        for (int i = 0; i < n; i++)
            a[i] = rng.Next(8) == 0 ? special[rng.Next(special.Length)] : (float)(rng.NextDouble() * 200 - 100);
        return a;
    }

    private static void AssertBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}: index {i}, expected {expected[i]}, got {actual[i]}");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Scale_equals_the_scalar_loop_and_a_product_by_minus_one_the_negation(VectorWidth width)
    {
        var rng = new Random(71);
        foreach (int n in Enumerable.Range(1, 67).Append(1023))
            for (int offset = 0; offset <= 3; offset++)
                foreach (float s in new[] { 1f / 1024, -1f, 0.37f })
                {
                    float[] a = Values(rng, n + offset), b = (float[])a.Clone();
                    LinePasses.ScaleScalarReference(a.AsSpan(offset), s);
                    LinePasses.Scale(b.AsSpan(offset), s, width);
                    AssertBits(a, b, $"scale n={n} offset={offset} s={s}");
                    if (s != -1f) continue;
                    float[] c = (float[])a.Clone(), d = (float[])a.Clone();
                    LinePasses.NegateScalarReference(c.AsSpan(offset));
                    LinePasses.Scale(d.AsSpan(offset), -1f, width);
                    AssertBits(c, d, $"negation n={n} offset={offset}");
                }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void The_Hermitian_split_and_join_equal_the_scalar_loops(VectorWidth width)
    {
        var rng = new Random(71);
        foreach (int n in Enumerable.Range(1, 67).Select(k => 2 * k).Append(1024))
            for (int offset = 0; offset <= 3; offset++)
            {
                // Four rows of n floats, each starting `offset` floats into its own array.
                float[][] expected = Enumerable.Range(0, 4).Select(_ => Values(rng, n + offset)).ToArray();
                float[][] actual = expected.Select(r => (float[])r.Clone()).ToArray();
                LinePasses.SplitHermitianScalarReference(expected[0].AsSpan(offset), expected[1].AsSpan(offset), expected[2].AsSpan(offset), expected[3].AsSpan(offset));
                LinePasses.SplitHermitian(actual[0].AsSpan(offset), actual[1].AsSpan(offset), actual[2].AsSpan(offset), actual[3].AsSpan(offset), width);
                for (int r = 0; r < 4; r++) AssertBits(expected[r], actual[r], $"split n={n} offset={offset} row {r}");
                LinePasses.JoinHermitianScalarReference(expected[0].AsSpan(offset), expected[1].AsSpan(offset), expected[2].AsSpan(offset), expected[3].AsSpan(offset));
                LinePasses.JoinHermitian(actual[0].AsSpan(offset), actual[1].AsSpan(offset), actual[2].AsSpan(offset), actual[3].AsSpan(offset), width);
                for (int r = 0; r < 4; r++) AssertBits(expected[r], actual[r], $"join n={n} offset={offset} row {r}");
            }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void The_power_and_its_running_total_equal_the_scalar_loops(VectorWidth width)
    {
        var rng = new Random(71);
        foreach (int n in Enumerable.Range(1, 67).Append(513).Append(1023))
            for (int offset = 0; offset <= 3; offset++)
            {
                float[] re = Values(rng, n + offset), im = Values(rng, n + offset);
                float[] re2 = (float[])re.Clone(), im2 = (float[])im.Clone();
                // A total carried in from earlier rows, as the notch's sum runs over the whole spectrum.
                double carried = rng.NextDouble() * 1e4;
                double expected = LinePasses.PowerAndTotalScalarReference(re.AsSpan(offset), im.AsSpan(offset), carried);
                double actual = LinePasses.PowerAndTotal(re2.AsSpan(offset), im2.AsSpan(offset), carried, width);
                AssertBits(re, re2, $"power re n={n} offset={offset}");
                AssertBits(im, im2, $"power im n={n} offset={offset}");
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual),
                    $"total n={n} offset={offset}: expected {expected:R}, got {actual:R}");
            }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Zeroing_above_a_cap_equals_the_scalar_loop(VectorWidth width)
    {
        var rng = new Random(71);
        foreach (int n in Enumerable.Range(1, 67).Append(1023))
            for (int offset = 0; offset <= 3; offset++)
                foreach (float cap in new[] { 0f, 37.5f, -1e-40f, float.PositiveInfinity })
                {
                    float[] a = Values(rng, n + offset);
                    if (n > 2) a[offset + 1] = float.NaN;   // kept: a NaN is never above the cap
                    float[] b = (float[])a.Clone();
                    LinePasses.ZeroAboveScalarReference(a.AsSpan(offset), cap);
                    LinePasses.ZeroAbove(b.AsSpan(offset), cap, width);
                    AssertBits(a, b, $"zero above n={n} offset={offset} cap={cap}");
                    if (n > 2) Assert.True(float.IsNaN(b[offset + 1]));
                }
    }
}
