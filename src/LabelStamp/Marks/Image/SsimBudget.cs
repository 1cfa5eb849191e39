using System.Buffers;
using LabelStamp.Kernels;

namespace LabelStamp.Marks.Image;

/// <summary>
/// Keeps the mark's predicted SSIM loss (image as displayed) at or below <see cref="MeanLoss"/> by
/// lowering the amplitude of the blocks where it costs most. Per block the model of
/// <see cref="BlockStatistics"/> gives L(a) = E a² / (C + E a²) + K a² (contrast-structure and luminance
/// terms of Wang et al.'s SSIM for a ±a chip pattern on a window of mean μ, deviation σ and opacity α).
/// When the planned amplitudes (mask × strength, after the PSNR budget) predict a mean loss above the
/// budget, every block is capped at the amplitude where its own loss reaches λ, λ found by bisection on
/// a systematic sample of blocks: flat, dark and sparse-texture blocks give first, fully transparent
/// blocks cost nothing and keep their chips. A cap between two whole levels is reached on average by an
/// ordered (4 × 4 Bayer) dither over blocks, so a flat or black image keeps ±1 on a share of its blocks
/// instead of losing the mark everywhere; the bisection counts the dither's expected loss.
/// <para>
/// Measured on the development corpus (bench/WATERMARK.md): without the budget 17 of 63 images were
/// below 0.98 (flat renders, dark and transparent images); with it 0 of 336, worst 0.9817. The budget's
/// margin covers what the model leaves out (windows straddling blocks of different amplitude, the
/// highlight pull and partial clipping of single channels, channels that do not move together).
/// </para>
/// </summary>
internal static class SsimBudget
{
    /// <summary>The mean predicted loss allowed: SSIM ≥ 0.987 as predicted, for ≥ 0.98 as measured on every
    /// corpus image (0.0150 left one 256 px illustration of smooth saturated gradients at 0.9794).</summary>
    public const float MeanLoss = 0.0130f;

    /// <summary>At most this many blocks enter the bisection (every k-th in raster order).</summary>
    private const int SampleBlocks = 1024;

    private static ReadOnlySpan<byte> Bayer => [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5];

    /// <summary>Lowers <paramref name="blockGains"/> (one MarkAdd gain per block, row-major, bw per row)
    /// in place where the budget needs it.</summary>
    public static void Apply(BlockStatistics stats, Span<byte> blockGains, int bw, float budget = MeanLoss, VectorWidth width = VectorWidth.Auto)
    {
        float lambda = Level(stats, blockGains, budget, width, reference: false, out _);
        if (float.IsNaN(lambda)) return;
        int n = blockGains.Length, rows = (n + bw - 1) / bw;
        // Planned amplitudes, the dither's thresholds for the four row phases, and each block's outcome.
        float[] planes = ArrayPool<float>.Shared.Rent(2 * n + 4 * bw);
        try
        {
            Span<float> planned = planes.AsSpan(0, n), outcome = planes.AsSpan(n, n), thresholds = planes.AsSpan(2 * n, 4 * bw);
            for (int b = 0; b < n; b++) planned[b] = AmplitudeOf(blockGains[b]);
            for (int phase = 0, i = 0; phase < 4; phase++)
                for (int bx = 0; bx < bw; bx++, i++) thresholds[i] = (Bayer[phase * 4 + (bx & 3)] + 0.5f) / 16;
            ReadOnlySpan<float> energy = stats.Energy, contrast = stats.Contrast, luminance = stats.Luminance;
            for (int by = 0, b0 = 0; by < rows; by++, b0 += bw)
            {
                int length = Math.Min(bw, n - b0);
                SsimCaps.CappedAmplitudes(energy.Slice(b0, length), contrast.Slice(b0, length), luminance.Slice(b0, length), planned.Slice(b0, length),
                    thresholds.Slice((by & 3) * bw, length), lambda, outcome.Slice(b0, length), width);
            }
            for (int b = 0; b < n; b++)
            {
                float amplitude = outcome[b];
                if (amplitude >= 0) blockGains[b] = GainOfAmplitude((int)amplitude);
                else if (float.IsNaN(amplitude)) CapIrregular(stats, blockGains, b, bw, lambda);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(planes);
        }
    }

    /// <summary>The last step for a block outside <see cref="SsimCaps"/>' domain, in scalar: its cap from
    /// <see cref="Cap"/>, dithered by its cell of the 4 × 4 Bayer matrix.</summary>
    private static void CapIrregular(BlockStatistics stats, Span<byte> blockGains, int b, int bw, float lambda)
    {
        int planned = AmplitudeOf(blockGains[b]);
        float cap = Cap(stats, b, lambda);
        if (cap >= planned) return;
        int whole = (int)cap, by = b / bw, bx = b % bw;
        float threshold = (Bayer[(by & 3) * 4 + (bx & 3)] + 0.5f) / 16;
        int amplitude = whole + (cap - whole > threshold ? 1 : 0);
        blockGains[b] = GainOfAmplitude(Math.Min(amplitude, planned));
    }

    /// <summary>
    /// The loss level λ every block is capped at, or NaN when the planned gains already keep the sampled blocks'
    /// mean predicted loss within <paramref name="budget"/>. λ is what twenty bisection steps over [0, 1] give
    /// (<see cref="BisectReference"/>); unless <paramref name="reference"/> is set it is found by <see cref="SsimLossLevel"/>
    /// in a few trials (<paramref name="trials"/>), the same float (see there why).
    /// </summary>
    internal static float Level(BlockStatistics stats, ReadOnlySpan<byte> blockGains, float budget, VectorWidth width, bool reference, out int trials) =>
        Level(stats.Energy, stats.Contrast, stats.Luminance, blockGains, budget, width, reference, out trials);

    /// <summary><see cref="Level(BlockStatistics, ReadOnlySpan{byte}, float, VectorWidth, bool, out int)"/> on the statistics' three
    /// planes (one value per block, at least as long as <paramref name="blockGains"/>).</summary>
    internal static float Level(ReadOnlySpan<float> energy, ReadOnlySpan<float> contrast, ReadOnlySpan<float> luminance, ReadOnlySpan<byte> blockGains,
        float budget, VectorWidth width, bool reference, out int trials)
    {
        trials = 0;
        int n = blockGains.Length;
        int step = Math.Max(1, n / SampleBlocks), first = step / 2;
        int sampled = n > first ? (n - first + step - 1) / step : 0;
        float threshold = budget * sampled;
        // The sampled blocks' coefficients side by side, one block per lane of SsimCaps; the planned amplitudes' losses
        // (the first test, and the loss of every block its cap does not reach) once for all trials.
        float[] planes = ArrayPool<float>.Shared.Rent(8 * sampled);
        try
        {
            Span<float> p = planes.AsSpan(0, sampled), r = planes.AsSpan(sampled, sampled), k = planes.AsSpan(2 * sampled, sampled);
            Span<float> a = planes.AsSpan(3 * sampled, sampled), kr = planes.AsSpan(4 * sampled, sampled);
            Span<float> fourKp = planes.AsSpan(5 * sampled, sampled), plannedLoss = planes.AsSpan(6 * sampled, sampled);
            Span<float> loss = planes.AsSpan(7 * sampled, sampled);
            for (int j = 0, b = first; j < sampled; j++, b += step)
            {
                p[j] = energy[b];
                r[j] = contrast[b];
                k[j] = luminance[b];
                a[j] = AmplitudeOf(blockGains[b]);
            }
            SsimCaps.Terms(p, r, k, a, kr, fourKp, plannedLoss, width);
            if (PlannedWithin(plannedLoss, threshold, width)) return float.NaN;
            int irregular = 0;
            for (int j = 0; j < sampled; j++) if (!IsRegular(p[j], r[j], k[j])) irregular++;
            if (reference || !StandInForConstantLosses(p, r, k, kr, fourKp, a, plannedLoss, irregular))
            {
                trials = Steps;
                return BisectReference(p, r, k, a, threshold);
            }
            return new SsimLossLevel(p, r, k, kr, fourKp, a, plannedLoss, loss, threshold, width).Find(out trials);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(planes);
        }
    }

    /// <summary>The bisection's steps.</summary>
    internal const int Steps = SsimLossLevel.Steps;

    /// <summary>
    /// The scalar reference of the budget's λ: twenty bisection steps over [0, 1], each the blocks' expected losses at the
    /// midpoint added one by one in block order and compared with <paramref name="threshold"/> (the budget times the
    /// blocks); a block with no chip energy keeps its planned loss. <paramref name="planned"/> holds whole amplitudes.
    /// </summary>
    internal static float BisectReference(ReadOnlySpan<float> energy, ReadOnlySpan<float> contrast, ReadOnlySpan<float> luminance,
        ReadOnlySpan<float> planned, float threshold)
    {
        float lo = 0, hi = 1;
        for (int iteration = 0; iteration < Steps; iteration++)
        {
            float mid = 0.5f * (lo + hi), total = 0;
            for (int j = 0; j < planned.Length; j++)
            {
                float p = energy[j], r = contrast[j], k = luminance[j];
                int a = (int)planned[j];
                total += p <= 0 ? SsimCaps.LossScalarReference(p, r, k, a) : SsimCaps.ExpectedLossScalarReference(p, r, k, a, mid);
            }
            if (total <= threshold) lo = mid; else hi = mid;
        }
        return lo;
    }

    /// <summary>
    /// Blocks outside SsimCaps' domain with no chip energy (fully transparent) have an unbounded cap, so their loss is
    /// the planned one whatever λ: each such lane stands in for that constant (p = r = 1, k = 0, planned 0: the cap, finite
    /// and ≥ 0, always reaches it, and the lane gives its planned loss). False, with the planes left as they were, when an
    /// irregular block is of another kind (not met in practice: non-finite or negative coefficients, a negative or
    /// non-finite loss): then the reference bisection takes over.
    /// </summary>
    private static bool StandInForConstantLosses(Span<float> p, Span<float> r, Span<float> k, Span<float> kr, Span<float> fourKp,
        Span<float> planned, ReadOnlySpan<float> plannedLoss, int irregular)
    {
        if (irregular == 0) return true;
        for (int j = 0; j < p.Length; j++)
            if (!IsRegular(p[j], r[j], k[j]) && !(p[j] <= 0 && plannedLoss[j] >= 0 && float.IsFinite(plannedLoss[j]))) return false;
        for (int j = 0; j < p.Length; j++)
        {
            if (IsRegular(p[j], r[j], k[j])) continue;
            p[j] = r[j] = 1;
            k[j] = kr[j] = fourKp[j] = planned[j] = 0;
        }
        return true;
    }

    /// <summary>Whether the planned losses added one by one in block order stay at or below <paramref name="threshold"/>:
    /// decided by their 16-lane total (<see cref="SsimCaps.Excess"/> at level 0, which also counts the losses ≥ 0) when
    /// every loss is a non-negative number and the total is further from the threshold than the two orders can differ
    /// (<see cref="SsimLossLevel.OrderMargin"/>), else by the ordered sum itself.</summary>
    private static bool PlannedWithin(ReadOnlySpan<float> plannedLoss, float threshold, VectorWidth width)
    {
        (float lanes, float nonNegative) = SsimCaps.Excess(plannedLoss, 0, width);
        double gap = (double)lanes - threshold;
        if (nonNegative == plannedLoss.Length && double.IsFinite(gap) && Math.Abs(gap) > SsimLossLevel.OrderMargin(plannedLoss.Length) * lanes)
            return lanes <= threshold;
        return OrderedSum(plannedLoss) <= threshold;
    }

    private static float OrderedSum(ReadOnlySpan<float> values)
    {
        float total = 0;
        foreach (float v in values) total += v;
        return total;
    }

    /// <summary>The smallest gain MarkAdd turns into <paramref name="amplitude"/> (0-127): the least g with
    /// (127 g + 128) / 256 ≥ a, that is ⌈(256 a − 128) / 127⌉.</summary>
    internal static byte GainOfAmplitude(int amplitude) => (byte)((256 * amplitude - 2) / 127);

    /// <summary>Inside <see cref="SsimCaps"/>' domain: chip energy and contrast term positive, all three finite.</summary>
    private static bool IsRegular(float p, float r, float k) =>
        p > 0 && r > 0 && k >= 0 && float.IsFinite(p) && float.IsFinite(r) && float.IsFinite(k);

    /// <summary>MarkAdd's amplitude for a gain: round(127 · gain / 256).</summary>
    public static int AmplitudeOf(byte gain) => (127 * gain + 128) >> 8;

    /// <summary>The amplitude at which block b's loss is λ: with x = a², p = energy, r = contrast,
    /// k = luminance, p x / (r + p x) + k x = λ is k p x² + (p (1 − λ) + k r) x − λ r = 0, whose positive
    /// root is taken in the form without cancellation.</summary>
    private static float Cap(BlockStatistics stats, int b, float lambda)
    {
        float p = stats.Energy[b];
        if (p <= 0) return float.PositiveInfinity;
        float r = stats.Contrast[b], k = stats.Luminance[b];
        float bq = p * (1 - lambda) + k * r;
        float x = 2 * lambda * r / (bq + MathF.Sqrt(bq * bq + 4 * k * p * lambda * r));
        return MathF.Sqrt(x);
    }
}
