using LabelStamp.Kernels;
using LabelStamp.Kernels.Fft;

namespace LabelStamp.Kernels.Tests;

/// <summary><see cref="FftPlan2D.Autocorrelate"/> (real-input, half-spectrum) against the direct circular
/// autocorrelation sum and the complex Forward/|F|²/Inverse path, and every width against the scalar
/// path bit for bit. Seeds fixed (501 + N).</summary>
public class RealAutocorrelationTests
{
    public static TheoryData<VectorWidth> Widths => [VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto];

    private static float[] RealInput(int n, int nonZeroRows, int seed)
    {
        var rng = new Random(seed);
        var a = new float[n * n];
        for (int i = 0; i < nonZeroRows * n; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
        return a;
    }

    [Theory]
    [InlineData(4, 3)]
    [InlineData(16, 16)]
    [InlineData(32, 11)]
    [InlineData(6, 5)]
    [InlineData(24, 13)]
    public void Equals_the_direct_circular_autocorrelation(int n, int nonZeroRows)
    {
        float[] x = RealInput(n, nonZeroRows, 501 + n), re = (float[])x.Clone(), im = new float[n * n];
        // Rows at or beyond nonZeroRows hold garbage (a pooled array): they must be taken as zero.
        for (int i = nonZeroRows * n; i < n * n; i++) re[i] = 1000f + i;
        new FftPlan2D(n).Autocorrelate(re, im, nonZeroRows);
        for (int dy = 0; dy < n; dy++)
            for (int dx = 0; dx < n; dx++)
            {
                double s = 0;
                for (int y = 0; y < n; y++)
                    for (int xx = 0; xx < n; xx++)
                        s += (double)x[y * n + xx] * x[((y + dy) % n) * n + (xx + dx) % n];
                Assert.Equal(s, re[dy * n + dx], 1e-3);
            }
    }

    [Fact]
    public void Matches_the_complex_transform_path()
    {
        const int n = 128, rows = 77;
        float[] x = RealInput(n, rows, 501 + n), re = (float[])x.Clone(), im = new float[n * n];
        float[] cr = (float[])x.Clone(), ci = new float[n * n];
        var plan = new FftPlan2D(n);
        plan.Autocorrelate(re, im, rows);
        plan.Forward(cr, ci, rows);
        CrossPower.Apply(cr, ci, cr, ci, cr, ci);
        Array.Clear(ci);
        plan.Inverse(cr, ci);
        double peak = cr[0];
        Assert.True(peak > 100);   // Σ x² over 77 × 128 samples of U(−1, 1) ≈ 3,285
        for (int i = 0; i < n * n; i++) Assert.Equal(cr[i], re[i], 1e-5 * peak);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Every_width_equals_the_scalar_path_bit_for_bit(VectorWidth width)
    {
        foreach ((int n, int rows) in new[] { (4, 4), (8, 5), (64, 63), (256, 200), (12, 9), (96, 71), (768, 512) })
        {
            var plan = new FftPlan2D(n);
            float[] a = RealInput(n, rows, 501 + n), b = (float[])a.Clone();
            // Garbage in the scratch plane must not matter.
            float[] ai = RealInput(n, n, 9), bi = RealInput(n, n, 9);
            plan.Autocorrelate(a, ai, rows, VectorWidth.Scalar);
            plan.Autocorrelate(b, bi, rows, width);
            Assert.Equal(a, b);
        }
    }

    [Fact]
    public void The_notch_removes_a_periodic_host_and_keeps_a_spread_pattern()
    {
        // A strong cosine (scan lines, period 8 along x) over a weak random ±1 tile of period 16 (a keyed
        // pattern, energy over many frequencies), 64 × 64. Seed fixed (601).
        const int n = 64, tile = 16;
        var rng = new Random(601);
        var pattern = new float[tile * tile];
        for (int i = 0; i < pattern.Length; i++) pattern[i] = rng.Next(2) == 0 ? -1f : 1f;
        float[] x = new float[n * n];
        for (int y = 0; y < n; y++)
            for (int xx = 0; xx < n; xx++)
                x[y * n + xx] = 20f * MathF.Cos(2 * MathF.PI * xx / 8) + pattern[(y % tile) * tile + xx % tile];
        var plan = new FftPlan2D(n);
        float[] plain = (float[])x.Clone(), notched = (float[])x.Clone();
        plan.Autocorrelate(plain, new float[n * n]);
        plan.Autocorrelate(notched, new float[n * n], notchAbove: 8);
        // Lag (4, 0) is half the cosine's period and no multiple of the tile: the cosine alone rings there.
        Assert.True(plain[4] < -0.5f * plain[0], $"plain lag 4: {plain[4]}, lag 0: {plain[0]}");
        Assert.True(Math.Abs(notched[4]) < 0.1f * notched[0], $"notched lag 4: {notched[4]}, lag 0: {notched[0]}");
        // The tile's lattice peak at (16, 0) survives, near its full height (the pattern's own energy).
        Assert.True(notched[tile] > 0.5f * notched[0], $"notched lag 16: {notched[tile]}, lag 0: {notched[0]}");
    }
}
