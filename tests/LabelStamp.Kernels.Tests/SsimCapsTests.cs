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

    [Theory]
    [MemberData(nameof(Widths))]
    public void Caps_and_expected_losses_equal_the_reference_at_odd_lengths_and_misaligned_offsets(VectorWidth width)
    {
        var rng = new Random(29);
        int below = 0, above = 0;
        foreach (int n in Enumerable.Range(1, 70).Append(1024).Append(1031))
            for (int offset = 0; offset <= 3; offset++)
            {
                var (p, r, k, a) = Blocks(rng, n + offset);
                float lambda = rng.Next(3) == 0 ? 0.5f : (float)Math.Pow(2, -rng.Next(1, 20)) * rng.Next(1, 4);
                float[] caps = new float[n + offset], losses = new float[n + offset];
                SsimCaps.Caps(p.AsSpan(offset), r.AsSpan(offset), k.AsSpan(offset), lambda, caps.AsSpan(offset), width);
                SsimCaps.ExpectedLosses(p.AsSpan(offset), r.AsSpan(offset), k.AsSpan(offset), a.AsSpan(offset), lambda, losses.AsSpan(offset), width);
                for (int i = offset; i < n + offset; i++)
                {
                    float cap = SsimCaps.CapScalarReference(p[i], r[i], k[i], lambda);
                    Assert.Equal(BitConverter.SingleToInt32Bits(cap), BitConverter.SingleToInt32Bits(caps[i]));
                    float loss = SsimCaps.ExpectedLossScalarReference(p[i], r[i], k[i], (int)a[i], lambda);
                    Assert.Equal(BitConverter.SingleToInt32Bits(loss), BitConverter.SingleToInt32Bits(losses[i]));
                    if (cap < a[i]) below++; else above++;
                }
            }
        // Not vacuous: both branches of the expected loss were taken many times.
        Assert.True(below > 1000 && above > 1000, $"below {below}, above {above}");
    }

    [Fact]
    public void Loss_grows_with_amplitude()
    {
        Assert.True(SsimCaps.LossScalarReference(0.75f, 100f, 1e-5f, 3) > SsimCaps.LossScalarReference(0.75f, 100f, 1e-5f, 2));
        Assert.Equal(0f, SsimCaps.LossScalarReference(0.75f, 100f, 1e-5f, 0));
    }
}
