using LabelStamp.Kernels;

namespace LabelStamp.Kernels.Tests;

/// <summary>The motion tracker's kernels (round 17) against their scalar loops, bit for bit, at every width, on odd lengths
/// and with the spans starting 0-3 floats into their arrays (no vector aligned, every ragged tail after 16-, 8- and
/// 4-lane vectors). Fixed seeds.</summary>
public class TrackerKernelsTests
{
    public static TheoryData<VectorWidth> Widths => new() { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512 };

    private static readonly int[] Lengths = [1, 2, 3, 5, 7, 8, 15, 17, 31, 33, 63, 67, 120, 127, 129, 1000, 16384];

    private static int[] Bits(float[] a) => a.Select(BitConverter.SingleToInt32Bits).ToArray();

    private static float[] Values(Random rng, int n) => Enumerable.Range(0, n).Select(_ =>
        rng.Next(25) switch { 0 => 0f, 1 => -0f, 2 => 1e-30f, _ => (float)(rng.NextDouble() * 400 - 200) }).ToArray();

    [Theory]
    [MemberData(nameof(Widths))]
    public void Centred_window_equals_the_scalar_loop(VectorWidth width)
    {
        var rng = new Random(31);
        foreach (int n in Lengths)
            for (int offset = 0; offset <= 3; offset++)
            {
                float[] v = Values(rng, n + offset), win = Values(rng, n + offset);
                float mean = (float)(rng.NextDouble() * 100);
                float[] expected = (float[])v.Clone(), got = (float[])v.Clone();
                CentredWindow.ApplyScalarReference(expected.AsSpan(offset), mean, win.AsSpan(offset));
                CentredWindow.Apply(got.AsSpan(offset), mean, win.AsSpan(offset), width);
                Assert.Equal(Bits(expected), Bits(got));
            }
    }

    /// <summary>With and without a taper; the spectrum holds exact zeros (the floor keeps them 0, not NaN).</summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void Whitening_equals_the_scalar_loop(VectorWidth width)
    {
        var rng = new Random(37);
        foreach (int n in Lengths)
            for (int offset = 0; offset <= 3; offset++)
                foreach (bool tapered in new[] { false, true })
                {
                    float[] re = Values(rng, n + offset), im = Values(rng, n + offset);
                    float[] taper = Enumerable.Range(0, n + offset).Select(_ => (float)(0.01 + rng.NextDouble())).ToArray();
                    float[] er = (float[])re.Clone(), ei = (float[])im.Clone(), gr = (float[])re.Clone(), gi = (float[])im.Clone();
                    ReadOnlySpan<float> t = tapered ? taper.AsSpan(offset) : default;
                    SpectrumWhitening.ApplyScalarReference(er.AsSpan(offset), ei.AsSpan(offset), t);
                    SpectrumWhitening.Apply(gr.AsSpan(offset), gi.AsSpan(offset), t, width);
                    Assert.Equal(Bits(er), Bits(gr));
                    Assert.Equal(Bits(ei), Bits(gi));
                    Assert.DoesNotContain(gr, float.IsNaN);
                }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Packed_pair_cross_equals_the_scalar_loop(VectorWidth width)
    {
        var rng = new Random(41);
        foreach (int n in new[] { 2, 4, 8, 16, 32, 64, 128, 256 })
            for (int offset = 0; offset <= 3; offset++)
            {
                int nn = n * n;
                float[] zr = Values(rng, nn + offset), zi = Values(rng, nn + offset);
                float[] er = new float[nn + offset], ei = new float[nn + offset], gr = new float[nn + offset], gi = new float[nn + offset];
                PackedPairCross.ApplyScalarReference(zr.AsSpan(offset), zi.AsSpan(offset), er.AsSpan(offset), ei.AsSpan(offset), n);
                PackedPairCross.Apply(zr.AsSpan(offset), zi.AsSpan(offset), gr.AsSpan(offset), gi.AsSpan(offset), n, width);
                Assert.Equal(Bits(er), Bits(gr));
                Assert.Equal(Bits(ei), Bits(gi));
            }
    }

    /// <summary>What it computes: 4 · A · conj(B) of the two real planes packed as a + i·b (against their separate
    /// transforms, 16², seed 43).</summary>
    [Fact]
    public void Packed_pair_cross_is_four_times_the_cross_power_of_the_two_planes()
    {
        const int n = 16;
        var rng = new Random(43);
        float[] a = Enumerable.Range(0, n * n).Select(_ => (float)rng.NextDouble()).ToArray();
        float[] b = Enumerable.Range(0, n * n).Select(_ => (float)rng.NextDouble()).ToArray();
        var fft = new LabelStamp.Kernels.Fft.FftPlan2D(n);
        float[] zr = (float[])a.Clone(), zi = (float[])b.Clone(), ar = (float[])a.Clone(), ai = new float[n * n], br = (float[])b.Clone(), bi = new float[n * n];
        fft.Forward(zr, zi);
        fft.Forward(ar, ai);
        fft.Forward(br, bi);
        float[] cr = new float[n * n], ci = new float[n * n];
        PackedPairCross.Apply(zr, zi, cr, ci, n);
        for (int k = 0; k < n * n; k++)
        {
            double er = 4 * ((double)ar[k] * br[k] + (double)ai[k] * bi[k]), ei = 4 * ((double)ai[k] * br[k] - (double)ar[k] * bi[k]);
            Assert.Equal(er, cr[k], 0.02);
            Assert.Equal(ei, ci[k], 0.02);
        }
    }

    /// <summary>Box means k / d² (k up to 255 d², as the tracker's reduced planes at d = 1, 2, 3, 8, 15, 30): every width's
    /// lane sum equals the left-to-right double sum to the bit whenever the sum is within the exact bound, and each size
    /// the bound admits is met at least once.</summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void Quantised_sum_equals_the_left_to_right_sum_within_its_bound(VectorWidth width)
    {
        var rng = new Random(47);
        int exact = 0;
        foreach (int d in new[] { 1, 2, 3, 8, 15, 30 })
        {
            float inv = 1f / (d * d), q = QuantisedSum.QuantumOf(inv);
            foreach (int n in Lengths)
                for (int offset = 0; offset <= 3; offset++)
                {
                    int top = rng.Next(2) == 0 ? 255 * d * d : 40 * d * d;
                    float[] v = Enumerable.Range(0, n + offset).Select(_ => rng.Next(top + 1) * inv).ToArray();
                    double got = QuantisedSum.Sum(v.AsSpan(offset), width), expected = QuantisedSum.SumScalarReference(v.AsSpan(offset));
                    if (!QuantisedSum.IsExact(got, q)) continue;
                    exact++;
                    Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(got));
                }
        }
        Assert.True(exact > 300, $"{exact} sums within the bound");
    }

    /// <summary>The bound is 2⁵³ · q: a bright 128 × 72 plane at d = 30 (q = 2⁻³³) sums past it and is reported inexact;
    /// the quantum of a power of two is its ulp.</summary>
    [Fact]
    public void Quantised_sum_reports_sums_past_its_bound()
    {
        float inv = 1f / 900, q = QuantisedSum.QuantumOf(inv);
        Assert.Equal(MathF.ScaleB(1, -33), q);
        Assert.Equal(MathF.ScaleB(1, -25), QuantisedSum.QuantumOf(0.25f));
        float[] bright = Enumerable.Repeat(200 * 900 * inv, 128 * 72).ToArray();
        Assert.False(QuantisedSum.IsExact(QuantisedSum.Sum(bright), q));
        float[] dark = Enumerable.Repeat(100 * 900 * inv, 128 * 72).ToArray();
        Assert.True(QuantisedSum.IsExact(QuantisedSum.Sum(dark), q));
        Assert.False(QuantisedSum.IsExact(1, 0));
    }
}
