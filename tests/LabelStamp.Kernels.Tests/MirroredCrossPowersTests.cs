using LabelStamp.Kernels;
using LabelStamp.Kernels.Fft;

namespace LabelStamp.Kernels.Tests;

public class MirroredCrossPowersTests
{
    public static TheoryData<VectorWidth> Widths => new() { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512 };

    private static int[] Bits(float[] a, int offset, int count) =>
        a.Skip(offset).Take(count).Select(BitConverter.SingleToInt32Bits).ToArray();

    /// <summary>Every width against the scalar loops, bit for bit (signed zeros included), and the plane's own product
    /// against <see cref="PackedCrossPowers"/>. Row lengths N − 1 = 1…255 leave every ragged tail after 16-, 8- and
    /// 4-lane vectors (N = 2…256), and the planes start 0-3 floats into their arrays so no vector is aligned. Seed 29;
    /// values span ±100 with a few exact zeros of both signs.</summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void Equals_the_scalar_reference_bit_for_bit_at_every_size_and_offset(VectorWidth width)
    {
        var rng = new Random(29);
        foreach (int n in new[] { 2, 4, 8, 16, 32, 64, 256 })
            for (int offset = 0; offset <= 3; offset++)
            {
                int nn = n * n;
                float[][] inputs = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, nn + offset).Select(_ =>
                    rng.Next(20) switch { 0 => 0f, 1 => -0f, _ => (float)(rng.NextDouble() * 200 - 100) }).ToArray()).ToArray();
                float[][] expected = Enumerable.Range(0, 4).Select(_ => new float[nn + offset]).ToArray();
                float[][] actual = Enumerable.Range(0, 4).Select(_ => new float[nn + offset]).ToArray();
                float[] pr = new float[nn + offset], pi = new float[nn + offset];
                Span<float> S(float[] a) => a.AsSpan(offset);
                MirroredCrossPowers.ApplyScalarReference(S(inputs[0]), S(inputs[1]), S(inputs[2]), S(inputs[3]), S(inputs[4]), S(inputs[5]),
                    S(inputs[6]), S(inputs[7]), S(expected[0]), S(expected[1]), S(expected[2]), S(expected[3]), n);
                MirroredCrossPowers.Apply(S(inputs[0]), S(inputs[1]), S(inputs[2]), S(inputs[3]), S(inputs[4]), S(inputs[5]),
                    S(inputs[6]), S(inputs[7]), S(actual[0]), S(actual[1]), S(actual[2]), S(actual[3]), n, width);
                for (int k = 0; k < 4; k++) Assert.Equal(Bits(expected[k], offset, nn), Bits(actual[k], offset, nn));
                PackedCrossPowers.Apply(S(inputs[0]), S(inputs[1]), S(inputs[2]), S(inputs[3]), S(inputs[4]), S(inputs[5]), S(pr), S(pi), n, width);
                Assert.Equal(Bits(pr, offset, nn), Bits(actual[0], offset, nn));
                Assert.Equal(Bits(pi, offset, nn), Bits(actual[1], offset, nn));
            }
    }

    /// <summary>What the kernel is for: with z the transform of a + i·b, inverse transforms of its two outputs give the
    /// circular cross-correlations of a with r and b with q, and of a's mirror image (x → −x mod N) with r and b's
    /// with q', checked against direct sums on a 16² plane (seed 7).</summary>
    [Fact]
    public void Two_inverse_transforms_give_the_correlations_of_the_plane_and_of_its_mirror_image()
    {
        const int n = 16;
        var rng = new Random(7);
        float[] Plane() => Enumerable.Range(0, n * n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        float[] Mirrored(float[] p)
        {
            float[] m = new float[n * n];
            for (int y = 0; y < n; y++) for (int x = 0; x < n; x++) m[y * n + x] = p[y * n + ((n - x) & (n - 1))];
            return m;
        }
        float[] a = Plane(), b = Plane(), r = Plane(), q = Plane(), mq = Plane();
        var fft = new FftPlan2D(n);
        float[] zr = (float[])a.Clone(), zi = (float[])b.Clone();
        fft.Forward(zr, zi);
        (float[] Re, float[] Im) Spectrum(float[] p) { float[] re = (float[])p.Clone(), im = new float[n * n]; fft.Forward(re, im); return (re, im); }
        var (rr, ri) = Spectrum(r);
        var (qr, qi) = Spectrum(q);
        var (mqr, mqi) = Spectrum(mq);
        float[] or = new float[n * n], oi = new float[n * n], mr = new float[n * n], mi = new float[n * n];
        MirroredCrossPowers.Apply(zr, zi, rr, ri, qr, qi, mqr, mqi, or, oi, mr, mi, n);
        fft.Inverse(or, oi);
        fft.Inverse(mr, mi);
        float[] am = Mirrored(a), bm = Mirrored(b);
        for (int dy = 0; dy < n; dy++)
            for (int dx = 0; dx < n; dx++)
            {
                double c = 0, v = 0, cm = 0, vm = 0;
                for (int y = 0; y < n; y++)
                    for (int x = 0; x < n; x++)
                    {
                        int s = ((y + dy) % n) * n + (x + dx) % n, k = y * n + x;
                        c += a[s] * r[k];
                        v += b[s] * q[k];
                        cm += am[s] * r[k];
                        vm += bm[s] * mq[k];
                    }
                int i = dy * n + dx;
                Assert.Equal(c, or[i], 3);
                Assert.Equal(v, oi[i], 3);
                Assert.Equal(cm, mr[i], 3);
                Assert.Equal(vm, mi[i], 3);
            }
    }

    [Fact]
    public void Refuses_outputs_over_the_spectrum_or_one_another_and_sizes_that_are_not_powers_of_two()
    {
        float[] z = new float[64], zi = new float[64], r = new float[64];
        float[] Out() => new float[64];
        Assert.Throws<ArgumentException>(() => MirroredCrossPowers.Apply(z, zi, r, r, r, r, r, r, Out(), Out(), z, Out(), 8));
        float[] shared = Out();
        Assert.Throws<ArgumentException>(() => MirroredCrossPowers.Apply(z, zi, r, r, r, r, r, r, Out(), shared, Out(), shared, 8));
        Assert.Throws<ArgumentException>(() => MirroredCrossPowers.Apply(new float[36], new float[36], new float[36], new float[36],
            new float[36], new float[36], new float[36], new float[36], new float[36], new float[36], new float[36], new float[36], 6));
        Assert.Throws<ArgumentException>(() => MirroredCrossPowers.Apply(z, zi, r, r, r, r, r, r, Out(), Out(), Out(), new float[63], 8));
    }
}
