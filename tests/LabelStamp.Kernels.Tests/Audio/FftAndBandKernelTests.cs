using LabelStamp.Kernels;
using LabelStamp.Kernels.Audio;
using LabelStamp.Kernels.Fft;

namespace LabelStamp.Kernels.Tests.Audio;

/// <summary>Every width of the FFT and band kernels against the scalar path (bit-exact) and the
/// textbook DFT (numerically), on odd lengths and misaligned slices. Seeds fixed (1234, 99).</summary>
public class FftAndBandKernelTests
{
    public static TheoryData<VectorWidth> Widths => [VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto];

    private static float[] RandomFloats(int n, int seed)
    {
        var rng = new Random(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
        return a;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Fft_every_width_equals_the_scalar_path_bit_for_bit(VectorWidth width)
    {
        // 16, 64 and 256: the smallest sizes whose natural-order stages run in one call at 4, 8 and 16 lanes.
        // 6 … 768: three times a power of two (a radix-3 stage over three power-of-two transforms), 6 and 12 with
        // thirds narrower than every vector, 24 and 96 with ragged ones.
        foreach (int n in new[] { 2, 4, 8, 16, 32, 64, 128, 256, 1024, 6, 12, 24, 96, 768 })
        {
            var plan = new FftPlan(n);
            var re = RandomFloats(n, 1234 + n); var im = RandomFloats(n, 99 + n);
            var sr = (float[])re.Clone(); var si = (float[])im.Clone();
            plan.Forward(sr, si, VectorWidth.Scalar);
            plan.Forward(re, im, width);
            Assert.Equal(sr, re);
            Assert.Equal(si, im);
        }
    }

    [Theory]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(256)]
    [InlineData(6)]
    [InlineData(48)]
    [InlineData(768)]
    public void Fft_matches_the_textbook_dft_and_inverts(int n)
    {
        var plan = new FftPlan(n);
        var re = RandomFloats(n, 1234); var im = RandomFloats(n, 99);
        var dr = new double[n]; var di = new double[n];
        DftReference.Forward(re, im, dr, di);
        var fr = (float[])re.Clone(); var fi = (float[])im.Clone();
        plan.Forward(fr, fi);
        for (int k = 0; k < n; k++)
        {
            Assert.Equal(dr[k], fr[k], 1e-3 * Math.Sqrt(n));
            Assert.Equal(di[k], fi[k], 1e-3 * Math.Sqrt(n));
        }
        plan.Inverse(fr, fi);
        for (int t = 0; t < n; t++)
        {
            Assert.Equal(re[t], fr[t], 1e-4);
            Assert.Equal(im[t], fi[t], 1e-4);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Band_power_and_scaling_equal_scalar_on_odd_lengths_and_misaligned_tails(VectorWidth width)
    {
        var rng = new Random(1234);
        foreach (int n in new[] { 1, 3, 7, 15, 17, 31, 33, 63, 65, 127, 513 })
        {
            int offset = rng.Next(1, 4); // start inside a vector: misaligned loads
            var re = RandomFloats(n + offset, n).AsSpan(offset);
            var im = RandomFloats(n + offset, n + 1).AsSpan(offset);
            var add = RandomFloats(n + offset, n + 2).AsSpan(offset);
            var want = new float[n]; var got = new float[n];
            BandOps.PowerReference(re, im, want);
            BandOps.Power(re, im, got, width);
            Assert.Equal(want, got);
            BandOps.MultiplyAddReference(re, im, add, want);
            BandOps.MultiplyAdd(re, im, add, got, width);
            Assert.Equal(want, got);
        }
    }

    [Fact]
    public void Fft_rejects_sizes_that_are_not_powers_of_two() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FftPlan(1000));

    [Fact]
    public void Fft_rejects_three_times_a_non_power_of_two() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FftPlan(30));

    [Theory]
    [MemberData(nameof(Widths))]
    public void Fft2D_matches_separable_textbook_dft_and_inverts(VectorWidth width)
    {
        foreach (int n in new[] { 16, 24 })
            Fft2DMatchesTextbook(n, width);
    }

    private static void Fft2DMatchesTextbook(int n, VectorWidth width)
    {
        var plan = new FftPlan2D(n);
        float[] re = RandomFloats(n * n, 7), im = RandomFloats(n * n, 8);
        for (int i = 10 * n; i < n * n; i++) { re[i] = 0; im[i] = 0; }   // rows ≥ 10 zero: exercises nonZeroRows
        float[] r0 = (float[])re.Clone(), i0 = (float[])im.Clone();
        plan.Forward(re, im, nonZeroRows: 10, width: width);
        for (int ky = 0; ky < n; ky++)
            for (int kx = 0; kx < n; kx++)
            {
                double sr = 0, si = 0;
                for (int y = 0; y < n; y++)
                    for (int x = 0; x < n; x++)
                    {
                        double a = -2 * Math.PI * ((double)kx * x + (double)ky * y) / n;
                        double c = Math.Cos(a), s = Math.Sin(a);
                        sr += r0[y * n + x] * c - i0[y * n + x] * s;
                        si += r0[y * n + x] * s + i0[y * n + x] * c;
                    }
                Assert.Equal(sr, re[ky * n + kx], 1e-3);
                Assert.Equal(si, im[ky * n + kx], 1e-3);
            }
        plan.Inverse(re, im, width);
        for (int i = 0; i < n * n; i++) { Assert.Equal(r0[i], re[i], 1e-5); Assert.Equal(i0[i], im[i], 1e-5); }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Fft2D_every_width_equals_the_scalar_path_bit_for_bit(VectorWidth width)
    {
        foreach (int n in new[] { 2, 4, 8, 32, 128, 6, 12, 48, 384 })
        {
            var plan = new FftPlan2D(n);
            float[] re = RandomFloats(n * n, 31 + n), im = RandomFloats(n * n, 41 + n);
            float[] sr = (float[])re.Clone(), si = (float[])im.Clone();
            plan.Forward(sr, si, width: VectorWidth.Scalar);
            plan.Forward(re, im, width: width);
            Assert.Equal(sr, re);
            Assert.Equal(si, im);
            plan.Inverse(sr, si, VectorWidth.Scalar);
            plan.Inverse(re, im, width);
            Assert.Equal(sr, re);
            Assert.Equal(si, im);
        }
    }
}
