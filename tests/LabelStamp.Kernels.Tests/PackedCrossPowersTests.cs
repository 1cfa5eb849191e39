using LabelStamp.Kernels;

namespace LabelStamp.Kernels.Tests;

public class PackedCrossPowersTests
{
    public static TheoryData<VectorWidth> Widths => new() { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512 };

    private static int[] Bits(float[] a, int offset, int count) =>
        a.Skip(offset).Take(count).Select(BitConverter.SingleToInt32Bits).ToArray();

    /// <summary>Every width against the four-pass reference, bit for bit (signed zeros included). Row lengths N − 1 =
    /// 1…255 leave every ragged tail after 16-, 8- and 4-lane vectors (N = 2…256), and the planes start 0-3 floats into
    /// their arrays so no vector is aligned. Seed 23; values span ±100 with a few exact zeros of both signs.</summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void Equals_the_scalar_reference_bit_for_bit_at_every_size_and_offset(VectorWidth width)
    {
        var rng = new Random(23);
        foreach (int n in new[] { 2, 4, 8, 16, 32, 64, 256 })
            for (int offset = 0; offset <= 3; offset++)
            {
                int nn = n * n;
                float[][] inputs = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, nn + offset).Select(_ =>
                    rng.Next(20) switch { 0 => 0f, 1 => -0f, _ => (float)(rng.NextDouble() * 200 - 100) }).ToArray()).ToArray();
                float[] er = new float[nn + offset], ei = new float[nn + offset], gr = new float[nn + offset], gi = new float[nn + offset];
                Span<float> S(float[] a) => a.AsSpan(offset);
                PackedCrossPowers.ApplyScalarReference(S(inputs[0]), S(inputs[1]), S(inputs[2]), S(inputs[3]), S(inputs[4]), S(inputs[5]), S(er), S(ei), n);
                PackedCrossPowers.Apply(S(inputs[0]), S(inputs[1]), S(inputs[2]), S(inputs[3]), S(inputs[4]), S(inputs[5]), S(gr), S(gi), n, width);
                Assert.Equal(Bits(er, offset, nn), Bits(gr, offset, nn));
                Assert.Equal(Bits(ei, offset, nn), Bits(gi, offset, nn));
            }
    }

    /// <summary>What the kernel is for: with z the transform of a + i·b, one inverse transform of its output gives the
    /// circular cross-correlations of a with r and of b with q (r, q the planes whose spectra are passed), checked
    /// against direct sums on a 16² plane (seed 5).</summary>
    [Fact]
    public void One_inverse_transform_gives_both_correlations()
    {
        const int n = 16;
        var rng = new Random(5);
        float[] Plane() => Enumerable.Range(0, n * n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        float[] a = Plane(), b = Plane(), r = Plane(), q = Plane();
        var fft = new LabelStamp.Kernels.Fft.FftPlan2D(n);
        float[] zr = (float[])a.Clone(), zi = (float[])b.Clone();
        fft.Forward(zr, zi);
        float[] rr = (float[])r.Clone(), ri = new float[n * n], qr = (float[])q.Clone(), qi = new float[n * n];
        fft.Forward(rr, ri);
        fft.Forward(qr, qi);
        float[] or = new float[n * n], oi = new float[n * n];
        PackedCrossPowers.Apply(zr, zi, rr, ri, qr, qi, or, oi, n);
        fft.Inverse(or, oi);
        for (int dy = 0; dy < n; dy++)
            for (int dx = 0; dx < n; dx++)
            {
                double c = 0, v = 0;
                for (int y = 0; y < n; y++)
                    for (int x = 0; x < n; x++)
                    {
                        int s = ((y + dy) % n) * n + (x + dx) % n;
                        c += a[s] * r[y * n + x];
                        v += b[s] * q[y * n + x];
                    }
                Assert.Equal(c, or[dy * n + dx], 3);
                Assert.Equal(v, oi[dy * n + dx], 3);
            }
    }

    [Fact]
    public void Refuses_an_output_over_the_packed_spectrum_and_sizes_that_are_not_powers_of_two()
    {
        float[] p = new float[64], q = new float[64];
        Assert.Throws<ArgumentException>(() => PackedCrossPowers.Apply(p, q, p, q, p, q, p, new float[64], 8));
        Assert.Throws<ArgumentException>(() => PackedCrossPowers.Apply(p, q, p, q, p, q, new float[36], new float[36], 6));
        Assert.Throws<ArgumentException>(() => PackedCrossPowers.Apply(p, q, p, q, p, q, new float[63], new float[64], 8));
    }
}
