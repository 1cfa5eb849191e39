using LabelStamp.Kernels;
using LabelStamp.Marks.Image;
using LabelStamp.Media.Images;

namespace LabelStamp.Tests.Marks.Image;

/// <summary>
/// The SSIM budget's level search (<see cref="SsimLossLevel"/>) gives the reference bisection's λ
/// (<see cref="SsimBudget.BisectReference"/>) to the bit: on seeded random block sets shaped like the statistics' output,
/// on adversarial ones (every block fully transparent, every block the same, a budget met exactly at a grid point, λ at
/// either end of the grid, coefficients outside the lanes' domain) and on measured images' blocks. Also the two facts
/// the proof rests on: each block's float expected loss never decreases from one grid point to the next, and a trial's
/// lane total decides only where the ordered total would decide the same. Seeds 67-83.
/// </summary>
public class SsimLossLevelTests
{
    private const int Grid = 1 << SsimLossLevel.Steps;

    /// <summary>n blocks with coefficients over the statistics' ranges (opaque and partly transparent windows, flat to
    /// strongly textured, dark to bright), a share fully transparent (no chip energy) when asked.</summary>
    private static (float[] P, float[] R, float[] K) Blocks(Random rng, int n, double transparentShare = 0)
    {
        float[] p = new float[n], r = new float[n], k = new float[n];
        for (int i = 0; i < n; i++)
        {
            float alpha = rng.NextDouble() < transparentShare ? 0 : rng.Next(5) == 0 ? (float)rng.NextDouble() : 1f;
            float sigma = (float)(rng.NextDouble() * (rng.Next(3) == 0 ? 4 : 60)), mu = (float)(rng.NextDouble() * 255);
            p[i] = 0.75f * alpha * alpha;
            r[i] = 2 * alpha * alpha * sigma * sigma + 58.5225f;
            k[i] = 0.25f * alpha * alpha / (2 * alpha * alpha * mu * mu + 6.5025f);
        }
        return (p, r, k);
    }

    /// <summary>Planned gains: a flat-heavy plan like the embed's (most blocks at ±1, texture higher), uniform, or random.</summary>
    private static byte[] Gains(Random rng, int n, int kind)
    {
        var g = new byte[n];
        for (int i = 0; i < n; i++)
            g[i] = kind switch
            {
                0 => rng.Next(4) == 0 ? (byte)rng.Next(2, 21) : (byte)2,
                1 => 32,
                _ => (byte)rng.Next(256),
            };
        return g;
    }

    private static void AssertSame(float[] p, float[] r, float[] k, byte[] gains, float budget, ref int bound, List<int>? trials = null)
    {
        float reference = SsimBudget.Level(p, r, k, gains, budget, VectorWidth.Auto, reference: true, out _);
        float found = SsimBudget.Level(p, r, k, gains, budget, VectorWidth.Auto, reference: false, out int t);
        Assert.Equal(BitConverter.SingleToInt32Bits(reference), BitConverter.SingleToInt32Bits(found));
        if (float.IsNaN(found)) return;
        bound++;
        trials?.Add(t);
    }

    [Fact]
    public void Random_block_sets_give_the_reference_level_in_a_few_trials()
    {
        var rng = new Random(67);
        int bound = 0;
        var trials = new List<int>();
        for (int set = 0; set < 600; set++)
        {
            int n = set % 10 == 0 ? rng.Next(1, 40) : rng.Next(40, 3000);
            var (p, r, k) = Blocks(rng, n, rng.Next(4) == 0 ? rng.NextDouble() : 0);
            byte[] gains = Gains(rng, n, set % 3);
            float budget = set % 2 == 0 ? SsimBudget.MeanLoss : (float)Math.Exp(-1 - rng.NextDouble() * 6);
            AssertSame(p, r, k, gains, budget, ref bound, trials);
        }
        Assert.True(bound > 300, $"the budget bound on only {bound} sets");
        // Not a speed figure (that is bench's): the search must not lose its point, fewer trials than the bisection's 20.
        Assert.True(trials.Average() < 8, $"mean trials {trials.Average():F2}");
        Assert.True(trials.Max() <= 30, $"most trials {trials.Max()}");
    }

    /// <summary>Every block fully transparent: the loss is the planned one at every λ, so either the budget holds (NaN) or
    /// no grid point is within and λ = 0; partly transparent sets mix constant stand-ins with capped blocks.</summary>
    [Fact]
    public void All_transparent_and_mostly_transparent_blocks_give_the_reference_level()
    {
        var rng = new Random(71);
        int bound = 0;
        for (int set = 0; set < 60; set++)
        {
            int n = rng.Next(1, 2500);
            var (p, r, k) = Blocks(rng, n, set < 20 ? 1 : 0.97);
            // Hidden colour under a transparent block: a luminance term with no opacity behind it (as an exporter's
            // transparent black is not), so its planned loss is not zero and the budget can fail on constants alone.
            if (set < 10) for (int i = 0; i < n; i++) k[i] = 0.01f + i % 7 * 0.003f;
            AssertSame(p, r, k, Gains(rng, n, set % 3), SsimBudget.MeanLoss, ref bound);
        }
        Assert.True(bound > 10, $"the budget bound on only {bound} sets");
    }

    /// <summary>Ties: every block the same, so the total moves in steps of n equal losses; at several amplitudes.</summary>
    [Fact]
    public void Identical_blocks_give_the_reference_level()
    {
        var rng = new Random(73);
        int bound = 0;
        for (int set = 0; set < 80; set++)
        {
            int n = new[] { 1, 2, 16, 17, 1024, 1025, 2048, 4099 }[set % 8];
            var (p1, r1, k1) = Blocks(rng, 1);
            float[] p = Enumerable.Repeat(p1[0], n).ToArray(), r = Enumerable.Repeat(r1[0], n).ToArray(), k = Enumerable.Repeat(k1[0], n).ToArray();
            byte[] gains = Enumerable.Repeat((byte)rng.Next(1, 64), n).ToArray();
            AssertSame(p, r, k, gains, (float)Math.Exp(-2 - rng.NextDouble() * 5), ref bound);
        }
        Assert.True(bound > 40, $"the budget bound on only {bound} sets");
    }

    /// <summary>The budget met exactly: the threshold equals the ordered total at a grid point (1,024 blocks, so the
    /// budget times the count is exact), where "within" is decided by equality; and one float either side.</summary>
    [Fact]
    public void A_budget_met_exactly_at_a_grid_point_gives_the_reference_level()
    {
        var rng = new Random(79);
        int bound = 0, exact = 0;
        for (int set = 0; set < 120; set++)
        {
            const int n = 1024;
            var (p, r, k) = Blocks(rng, n, set % 5 == 0 ? 0.3 : 0);
            byte[] gains = Gains(rng, n, set % 3);
            int g = set % 4 == 0 ? rng.Next(1, 64) : rng.Next(1, Grid);
            float lambda = g * (1f / Grid), total = 0;
            for (int j = 0; j < n; j++)
            {
                int a = SsimBudget.AmplitudeOf(gains[j]);
                total += p[j] <= 0 ? SsimCaps.LossScalarReference(p[j], r[j], k[j], a) : SsimCaps.ExpectedLossScalarReference(p[j], r[j], k[j], a, lambda);
            }
            float budget = total / n;
            Assert.Equal(total, budget * n);   // n is a power of two: the threshold is the total itself
            exact++;
            foreach (float b in new[] { budget, MathF.BitDecrement(budget), MathF.BitIncrement(budget) })
                AssertSame(p, r, k, gains, b, ref bound);
        }
        Assert.Equal(120, exact);
        Assert.True(bound > 200, $"the budget bound on only {bound} sets");
    }

    /// <summary>λ at the grid's top (2²⁰ − 1: dark blocks planned high lose more than 1 at their planned amplitude, so a
    /// budget just under the planned total is met only there) and at its bottom (λ = 0: no grid point within).</summary>
    [Fact]
    public void Levels_at_either_end_of_the_grid_give_the_reference_level()
    {
        var rng = new Random(83);
        int top = 0, bottom = 0, bound = 0;
        for (int set = 0; set < 40; set++)
        {
            int n = rng.Next(1, 1500);
            var (p, r, k) = Blocks(rng, n);
            for (int i = 0; i < n; i++) k[i] = 0.0385f * (float)rng.NextDouble();   // μ near 0: C1 alone in the denominator
            byte[] gains = Enumerable.Repeat((byte)255, n).ToArray();
            float planned = 0;
            for (int j = 0; j < n; j++) planned += SsimCaps.LossScalarReference(p[j], r[j], k[j], 127);
            // Just under the planned mean: met only near λ = 1; a tiny budget: met nowhere.
            float budget = set % 2 == 0 ? planned / n * 0.999f : 1e-9f;
            float found = SsimBudget.Level(p, r, k, gains, budget, VectorWidth.Auto, reference: false, out _);
            if (found == (Grid - 1) * (1f / Grid)) top++;
            if (found == 0) bottom++;
            AssertSame(p, r, k, gains, budget, ref bound);
        }
        Assert.True(bottom >= 15, $"λ = 0 on {bottom} sets");
        Assert.True(bound >= 35, $"bound on {bound} sets; λ at the top on {top}");
    }

    /// <summary>Coefficients outside the lanes' domain (non-finite, negative, zero contrast with chip energy) send the
    /// search to the reference, which then gives its own answer whatever it is.</summary>
    [Fact]
    public void Irregular_coefficients_give_the_reference_level()
    {
        var rng = new Random(89);
        int bound = 0;
        float[] odd = [float.NaN, float.PositiveInfinity, -1f, 0f, -0f];
        for (int set = 0; set < 50; set++)
        {
            int n = rng.Next(2, 1200);
            var (p, r, k) = Blocks(rng, n);
            float[] plane = (set % 3) switch { 0 => p, 1 => r, _ => k };
            plane[rng.Next(n)] = odd[set % odd.Length];
            AssertSame(p, r, k, Gains(rng, n, set % 3), SsimBudget.MeanLoss, ref bound);
        }
        Assert.True(bound > 20, $"the budget bound on only {bound} sets");
    }

    /// <summary>Measured images' blocks (noise at three levels over a gradient, a dark ramp, a transparent disc), every
    /// uniform plan from ±1 to ±16 and the random ones.</summary>
    [Fact]
    public void Measured_blocks_give_the_reference_level_under_every_plan()
    {
        var rng = new Random(97);
        int bound = 0;
        for (int image = 0; image < 6; image++)
        {
            int w = 120 + 67 * image, h = 96 + 41 * image, bands = image % 3 == 2 ? 4 : 3;
            var pixels = new PixelBuffer(new byte[w * h * bands], w, h, bands);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    int o = (y * w + x) * bands, noise = image % 3 == 0 ? 0 : rng.Next(-4 * image, 4 * image + 1);
                    int v = Math.Clamp((image == 1 ? x * 12 / w : 40 + y * 150 / h) + noise, 0, 255);
                    pixels.Data[o] = pixels.Data[o + 1] = pixels.Data[o + 2] = (byte)v;
                    if (bands == 4) pixels.Data[o + 3] = (byte)((x - w / 2) * (x - w / 2) + (y - h / 2) * (y - h / 2) < w * h / 8 ? 255 : 0);
                }
            using BlockStatistics stats = BlockStatistics.Measure(pixels, 8, VectorWidth.Auto);
            int n = stats.Count;
            for (int amplitude = 1; amplitude <= 16; amplitude++)
                AssertSame(stats.Energy, stats.Contrast, stats.Luminance, Enumerable.Repeat(SsimBudget.GainOfAmplitude(amplitude), n).ToArray(),
                    SsimBudget.MeanLoss, ref bound);
            for (int kind = 0; kind < 3; kind++)
                AssertSame(stats.Energy, stats.Contrast, stats.Luminance, Gains(rng, n, kind), SsimBudget.MeanLoss, ref bound);
        }
        Assert.True(bound > 60, $"the budget bound on only {bound} sets");
    }

    /// <summary>The proof's premise: a block's expected loss, as the float formula computes it, never decreases from one
    /// grid point to the next (so neither does the ordered total, float addition being monotone). 400 random blocks,
    /// 4,096 consecutive grid points each from a random start, and every grid point of 4 whole blocks' full range.</summary>
    [Fact]
    public void A_blocks_float_expected_loss_never_decreases_along_the_grid()
    {
        var rng = new Random(101);
        var (p, r, k) = Blocks(rng, 404);
        for (int b = 0; b < p.Length; b++)
        {
            if (p[b] <= 0) continue;
            int planned = rng.Next(8) == 0 ? rng.Next(128) : rng.Next(1, 17);
            bool whole = b >= 400;
            int start = whole ? 1 : rng.Next(1, Grid - 4096), end = whole ? Grid - 1 : start + 4096;
            float previous = SsimCaps.ExpectedLossScalarReference(p[b], r[b], k[b], planned, start * (1f / Grid));
            for (int g = start + 1; g <= end; g++)
            {
                float loss = SsimCaps.ExpectedLossScalarReference(p[b], r[b], k[b], planned, g * (1f / Grid));
                if (loss < previous) Assert.Fail($"block p={p[b]:R} r={r[b]:R} k={k[b]:R} planned {planned}: {previous:R} at {g - 1}, {loss:R} at {g}");
                previous = loss;
            }
        }
    }

    /// <summary>A trial's sum: with every lane a constant stand-in, the losses are the given values, and the trial must
    /// say "within" exactly when their ordered sum is at or below the threshold, for thresholds at that sum, one float
    /// either side and at the lane total's margin, over values that make the lane and ordered sums differ.</summary>
    [Fact]
    public void A_trial_decides_as_the_ordered_sum_does()
    {
        var rng = new Random(103);
        int decided = 0;
        for (int set = 0; set < 300; set++)
        {
            int n = rng.Next(1, 2100);
            float[] values = new float[n];
            for (int i = 0; i < n; i++)
                values[i] = set % 3 == 0 ? (float)rng.NextDouble() * 1e-3f : set % 3 == 1 ? (i == 0 ? 30f : 1e-7f * rng.Next(1, 9)) : (float)Math.Exp(rng.NextDouble() * 8 - 9);
            float ordered = 0;
            foreach (float v in values) ordered += v;
            float[] ones = Enumerable.Repeat(1f, n).ToArray(), zeros = new float[n], losses = new float[n];
            double margin = SsimLossLevel.OrderMargin(n) * ordered;
            foreach (float threshold in new[] { ordered, MathF.BitDecrement(ordered), MathF.BitIncrement(ordered),
                (float)(ordered + margin), (float)(ordered - margin), (float)(ordered + 3 * margin), (float)(ordered - 3 * margin) })
            {
                var level = new SsimLossLevel(ones, ones, zeros, zeros, zeros, zeros, values, losses, threshold, VectorWidth.Auto);
                (bool within, _) = level.Trial(rng.Next(1, Grid));
                Assert.Equal(ordered <= threshold, within);
                decided++;
            }
            Assert.Equal(values, losses);
        }
        Assert.Equal(2100, decided);
    }

    /// <summary>The whole budget, written out in scalar from the references (the ordered planned sum, the bisection, a cap
    /// per block, the Bayer dither, the least gain per amplitude) as it stood before the search and the one-pass last step.</summary>
    private static void ApplyScalarReference(BlockStatistics stats, byte[] gains, int bw, float budget)
    {
        int n = gains.Length, step = Math.Max(1, n / 1024), first = step / 2, sampled = 0;
        float planned = 0;
        var (p, r, k, a) = (new List<float>(), new List<float>(), new List<float>(), new List<float>());
        for (int b = first; b < n; b += step, sampled++)
        {
            int amplitude = SsimBudget.AmplitudeOf(gains[b]);
            planned += SsimCaps.LossScalarReference(stats.Energy[b], stats.Contrast[b], stats.Luminance[b], amplitude);
            p.Add(stats.Energy[b]); r.Add(stats.Contrast[b]); k.Add(stats.Luminance[b]); a.Add(amplitude);
        }
        if (planned <= budget * sampled) return;
        float lambda = SsimBudget.BisectReference(p.ToArray(), r.ToArray(), k.ToArray(), a.ToArray(), budget * sampled);
        byte[] bayer = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5];
        for (int b = 0; b < n; b++)
        {
            int plannedAmplitude = SsimBudget.AmplitudeOf(gains[b]);
            float pb = stats.Energy[b];
            float cap = pb <= 0 ? float.PositiveInfinity : SsimCaps.CapScalarReference(pb, stats.Contrast[b], stats.Luminance[b], lambda);
            if (cap >= plannedAmplitude) continue;
            int whole = (int)cap, by = b / bw, bx = b % bw;
            float threshold = (bayer[(by & 3) * 4 + (bx & 3)] + 0.5f) / 16;
            int target = Math.Min(whole + (cap - whole > threshold ? 1 : 0), plannedAmplitude);
            gains[b] = (byte)Enumerable.Range(0, 256).First(g => SsimBudget.AmplitudeOf((byte)g) == target);
        }
    }

    /// <summary>The budget's gains equal the scalar reference's on measured images (flat, dark, noisy, transparent), under
    /// uniform and random plans, at every width.</summary>
    [Fact]
    public void Apply_gives_the_scalar_references_gains()
    {
        var rng = new Random(109);
        int changed = 0;
        for (int image = 0; image < 5; image++)
        {
            int w = 200 + 93 * image, h = 130 + 57 * image, bands = image % 2 == 1 ? 4 : 3, bw = (w + 7) / 8;
            var pixels = new PixelBuffer(new byte[w * h * bands], w, h, bands);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    int o = (y * w + x) * bands, v = Math.Clamp((image == 2 ? x * 14 / w : 30 + (x + y) * 180 / (w + h)) + rng.Next(-3 * image, 3 * image + 1), 0, 255);
                    pixels.Data[o] = pixels.Data[o + 1] = pixels.Data[o + 2] = (byte)v;
                    if (bands == 4) pixels.Data[o + 3] = (byte)(x < w / 3 ? 0 : x < w / 2 ? 100 : 255);
                }
            using BlockStatistics stats = BlockStatistics.Measure(pixels, 8, VectorWidth.Auto);
            int n = stats.Count;
            for (int plan = 0; plan < 6; plan++)
            {
                byte[] gains = plan < 3 ? Gains(rng, n, plan) : Enumerable.Repeat(SsimBudget.GainOfAmplitude(plan * 3 - 8), n).ToArray();
                byte[] expected = (byte[])gains.Clone();
                ApplyScalarReference(stats, expected, bw, SsimBudget.MeanLoss);
                if (!expected.AsSpan().SequenceEqual(gains)) changed++;
                foreach (VectorWidth width in new[] { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512 })
                {
                    byte[] got = (byte[])gains.Clone();
                    SsimBudget.Apply(stats, got, bw, SsimBudget.MeanLoss, width);
                    Assert.Equal(expected, got);
                }
            }
        }
        Assert.True(changed > 15, $"the budget changed gains on {changed} of 30 plans");
    }

    [Fact]
    public void Gain_of_amplitude_is_the_least_gain_markadd_turns_into_it()
    {
        for (int a = 0; a <= 127; a++)
        {
            int least = Enumerable.Range(0, 256).First(g => SsimBudget.AmplitudeOf((byte)g) == a);
            Assert.Equal(least, SsimBudget.GainOfAmplitude(a));
        }
    }
}
