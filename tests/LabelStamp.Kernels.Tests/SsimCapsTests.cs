using LabelStamp.Kernels;

namespace LabelStamp.Kernels.Tests;

/// <summary>
/// <see cref="SsimCaps"/> at every width against its scalar reference, to the bit: odd lengths (every tail), misaligned
/// starts, block coefficients spread over the ranges the statistics give (chip energy 0.75 α² with α down to nearly
/// transparent, contrast terms from the SSIM constant to strong texture, dark and bright luminance terms), planned
/// amplitudes 0-16 and losses λ from the bisection's range, so caps fall below, between and above whole levels.
/// </summary>
public class SsimCapsTests
{
    public static TheoryData<VectorWidth> Widths => new() { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512 };

    private static (float[] P, float[] R, float[] K, float[] A) Blocks(Random rng, int n)
    {
        float[] p = new float[n], r = new float[n], k = new float[n], a = new float[n];
        for (int i = 0; i < n; i++)
        {
            float alpha = rng.Next(4) == 0 ? (float)rng.NextDouble() : 1f;
            p[i] = 0.75f * alpha * alpha + 1e-6f;
            float sigma = (float)(rng.NextDouble() * 60);
            r[i] = 2 * alpha * alpha * sigma * sigma + 58.5225f;
            float mu = (float)(rng.NextDouble() * 255);
            k[i] = 0.25f * alpha * alpha / (2 * alpha * alpha * mu * mu + 6.5025f);
            a[i] = rng.Next(17);
        }
        return (p, r, k, a);
    }

    /// <summary>The budget's search asks for expected losses with the λ-free terms made once (<see cref="SsimCaps.Terms"/>):
    /// the same bits as the reference at every width, every tail and offset, and the planned losses equal the textbook loss.</summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void Hoisted_terms_give_the_reference_expected_losses_at_odd_lengths_and_misaligned_offsets(VectorWidth width)
    {
        var rng = new Random(59);
        int below = 0, above = 0;
        foreach (int n in Enumerable.Range(1, 70).Append(1024).Append(1031))
            for (int offset = 0; offset <= 3; offset++)
            {
                var (p, r, k, a) = Blocks(rng, n + offset);
                float lambda = rng.Next(3) == 0 ? 0.5f : (float)Math.Pow(2, -rng.Next(1, 20)) * rng.Next(1, 4);
                float[] kr = new float[n + offset], fourKp = new float[n + offset], planned = new float[n + offset], losses = new float[n + offset];
                SsimCaps.Terms(p.AsSpan(offset), r.AsSpan(offset), k.AsSpan(offset), a.AsSpan(offset), kr.AsSpan(offset), fourKp.AsSpan(offset),
                    planned.AsSpan(offset), width);
                SsimCaps.ExpectedLosses(p.AsSpan(offset), r.AsSpan(offset), k.AsSpan(offset), kr.AsSpan(offset), fourKp.AsSpan(offset),
                    a.AsSpan(offset), planned.AsSpan(offset), lambda, losses.AsSpan(offset), width);
                for (int i = offset; i < n + offset; i++)
                {
                    Assert.Equal(BitConverter.SingleToInt32Bits(SsimCaps.LossScalarReference(p[i], r[i], k[i], (int)a[i])),
                        BitConverter.SingleToInt32Bits(planned[i]));
                    float loss = SsimCaps.ExpectedLossScalarReference(p[i], r[i], k[i], (int)a[i], lambda);
                    Assert.Equal(BitConverter.SingleToInt32Bits(loss), BitConverter.SingleToInt32Bits(losses[i]));
                    if (SsimCaps.CapScalarReference(p[i], r[i], k[i], lambda) < a[i]) below++; else above++;
                }
            }
        Assert.True(below > 1000 && above > 1000, $"below {below}, above {above}");
    }

    /// <summary>The water-filling model's excess and count: every width equals the lane-ordered reference to the bit at
    /// every tail and offset, and both are what a plain double sum and count give, within float rounding.</summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void Excess_equals_the_reference_bit_for_bit_and_the_plain_sum(VectorWidth width)
    {
        var rng = new Random(61);
        foreach (int n in Enumerable.Range(0, 70).Append(1024).Append(1031))
            for (int offset = 0; offset <= 3; offset++)
            {
                float[] x = new float[n + offset];
                for (int i = 0; i < x.Length; i++) x[i] = rng.Next(9) == 0 ? 0.03f : (float)(rng.NextDouble() * rng.NextDouble() * 0.2);
                float level = rng.Next(5) == 0 ? 0 : (float)(rng.NextDouble() * 0.1);
                var expected = SsimCaps.ExcessScalarReference(x.AsSpan(offset), level);
                var got = SsimCaps.Excess(x.AsSpan(offset), level, width);
                Assert.Equal(BitConverter.SingleToInt32Bits(expected.Excess), BitConverter.SingleToInt32Bits(got.Excess));
                Assert.Equal(expected.Count, got.Count);
                double excess = x.Skip(offset).Sum(v => Math.Max(0, (double)v - level));
                Assert.Equal(x.Skip(offset).Count(v => v >= level), (int)got.Count);
                Assert.Equal(excess, got.Excess, 1e-5 * Math.Max(1e-30, x.Skip(offset).Sum(v => (double)v)));
            }
    }

    /// <summary>The budget's last step (<see cref="SsimCaps.CappedAmplitudes"/>) at every width against its scalar reference
    /// to the bit, at every tail and offset: caps below, between and above whole levels, the Bayer thresholds, and blocks
    /// outside the domain (NaN, ±∞, zero and negative coefficients), which must come back NaN.</summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void Capped_amplitudes_equal_the_reference_at_odd_lengths_and_misaligned_offsets(VectorWidth width)
    {
        var rng = new Random(107);
        float[] odd = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, -1f];
        int kept = 0, capped = 0, outside = 0;
        foreach (int n in Enumerable.Range(1, 70).Append(1024).Append(1031))
            for (int offset = 0; offset <= 3; offset++)
            {
                var (p, r, k, a) = Blocks(rng, n + offset);
                float[] t = new float[n + offset], o = new float[n + offset];
                for (int i = 0; i < t.Length; i++)
                {
                    t[i] = (rng.Next(16) + 0.5f) / 16;
                    if (rng.Next(20) == 0) ((rng.Next(3)) switch { 0 => p, 1 => r, _ => k })[i] = odd[rng.Next(odd.Length)];
                }
                float lambda = rng.Next(3) == 0 ? 0.5f : (float)Math.Pow(2, -rng.Next(1, 20)) * rng.Next(1, 4);
                SsimCaps.CappedAmplitudes(p.AsSpan(offset), r.AsSpan(offset), k.AsSpan(offset), a.AsSpan(offset), t.AsSpan(offset), lambda,
                    o.AsSpan(offset), width);
                for (int i = offset; i < n + offset; i++)
                {
                    float expected = SsimCaps.CappedAmplitudeScalarReference(p[i], r[i], k[i], (int)a[i], t[i], lambda);
                    Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(o[i]));
                    if (float.IsNaN(expected)) outside++; else if (expected < 0) kept++; else capped++;
                }
            }
        Assert.True(kept > 1000 && capped > 1000 && outside > 100, $"kept {kept}, capped {capped}, outside {outside}");
    }

    [Fact]
    public void Loss_grows_with_amplitude()
    {
        Assert.True(SsimCaps.LossScalarReference(0.75f, 100f, 1e-5f, 3) > SsimCaps.LossScalarReference(0.75f, 100f, 1e-5f, 2));
        Assert.Equal(0f, SsimCaps.LossScalarReference(0.75f, 100f, 1e-5f, 0));
    }
}
