using LabelStamp.Kernels;

namespace LabelStamp.Marks.Image;

/// <summary>
/// The SSIM budget's loss level λ found with a handful of trial levels instead of the bisection's twenty, to the same
/// float. λ is on the bisection's grid k / 2²⁰: the bisection starts from [0, 1] and halves it twenty times, so every
/// midpoint it tries is such a k / 2²⁰ (exact in float), and it returns the last one whose sampled total passed, lo.
/// <para>
/// <b>Why the answer is the same.</b> Call a grid point k "within" when the blocks' expected losses at k / 2²⁰, added
/// one by one in block order, stay at or below the budget, and take 0 as within and 2²⁰ as not (the bisection's starting
/// lo and hi, which it never tries). The bisection ends with lo = K and hi = K + 1, K within and K + 1 not. This search
/// keeps a bracket of the same kind and ends when it is one step wide, so it also returns some K' with K' within and
/// K' + 1 not. If K' &lt; K, then K' + 1 ≤ K is a point this search found not within at or below a point the bisection
/// found within; K' &gt; K is the mirror case. So the two agree whenever "within" is monotone over the points the two
/// searches tried. It is, wherever each block's expected loss is non-decreasing in λ as computed in float: float
/// addition rounds monotonically, so the ordered total is then non-decreasing too. Each loss is non-decreasing as a real
/// function (the cap rises with λ, and the dithered loss is L interpolated between whole levels, capped at the planned
/// one), and its float evaluation was checked at every one of the 2²⁰ grid points for 3,000 random blocks without one
/// decrease (<c>SsimLossLevelTests</c> repeat a sample of that and compare this search with the reference bisection,
/// <see cref="SsimBudget.BisectReference"/>, on random, adversarial and corpus block sets).
/// </para>
/// <para>
/// <b>How.</b> The sampled total S(λ) rises about one unit per capped block per unit of λ, so a secant through the last
/// two trials, started from the mean budget, lands within a step or two of K after three or four trials; each trial
/// point is the floor of the estimate clamped inside the bracket, so an estimate already inside [K, K + 1) is confirmed
/// by its two neighbours. If the bracket stops shrinking (kinks where blocks reach their planned amplitude, a flat total)
/// the search halves it instead, so it never needs more than the bisection's twenty trials plus a few.
/// </para>
/// <para>
/// <b>Each trial.</b> The losses come from <see cref="SsimCaps.ExpectedLosses"/>
/// with the λ-free terms made once. Their total is taken first in 16 float lanes
/// (<see cref="SpanDriver.LaneSum{TOp}"/>); any order of adding n non-negative floats is within γ(n−1) · S of the exact
/// sum S, γ(m) = m u / (1 − m u), u = 2⁻²⁴ (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., §4.2), so
/// the lane total and the ordered total are within 2γ S of each other. When the lane total is further than that from
/// the budget it decides the trial; otherwise the losses are added again one by one in block order, the bisection's
/// own sum, which decides.
/// </para>
/// </summary>
internal readonly ref struct SsimLossLevel
{
    /// <summary>The bisection's steps: λ on the grid k / 2²⁰.</summary>
    public const int Steps = 20;

    private const int Grid = 1 << Steps;

    /// <summary>Float's unit roundoff (round to nearest).</summary>
    private const double UnitRoundoff = 1.0 / (1 << 24);

    private readonly ReadOnlySpan<float> _energy, _contrast, _luminance, _kr, _fourKp, _planned, _plannedLosses;
    private readonly Span<float> _losses;
    private readonly float _threshold;
    private readonly double _margin;
    private readonly VectorWidth _width;

    /// <param name="threshold">The budget times the sampled blocks, as the bisection computes it.</param>
    /// <param name="losses">Scratch for one trial's losses, one per block.</param>
    /// <remarks>Every block must be in <see cref="SsimCaps"/>' domain or stand in for a constant loss (p = r = 1, k = 0,
    /// planned 0, its loss in <paramref name="plannedLosses"/>), and every planned loss must be non-negative.</remarks>
    public SsimLossLevel(ReadOnlySpan<float> energy, ReadOnlySpan<float> contrast, ReadOnlySpan<float> luminance, ReadOnlySpan<float> kr,
        ReadOnlySpan<float> fourKp, ReadOnlySpan<float> planned, ReadOnlySpan<float> plannedLosses, Span<float> losses, float threshold,
        VectorWidth width)
    {
        _energy = energy;
        _contrast = contrast;
        _luminance = luminance;
        _kr = kr;
        _fourKp = fourKp;
        _planned = planned;
        _plannedLosses = plannedLosses;
        _losses = losses;
        _threshold = threshold;
        _width = width;
        _margin = OrderMargin(losses.Length);
    }

    /// <summary>2γ(n−1) / (1 − γ(n−1)), a little widened: how far apart, relative to the lane total, the lane and the ordered
    /// totals of n non-negative floats can be.</summary>
    public static double OrderMargin(int n)
    {
        double m = Math.Max(0, n - 1) * UnitRoundoff, gamma = m / (1 - m);
        return 2 * gamma / (1 - gamma) * (1 + 1.0 / 1024);
    }

    /// <summary>λ = K / 2²⁰, the bisection's answer.</summary>
    public float Find(out int trials)
    {
        trials = 0;
        (float planned, _) = SsimCaps.Excess(_plannedLosses, 0, _width);
        double estimate = WaterLevel(planned) * Grid;
        int lo = 0, hi = Grid;
        // Totals at the bracket's ends for regula falsi: at 0 every capped block loses nothing, at 1 about every block
        // its planned loss (stand-ins, values only: neither end is ever tried, as the bisection never tries them).
        double totalLo = 0, totalHi = planned;
        int lastPoint = -1;
        double lastTotal = double.NaN;
        while (hi - lo > 1)
        {
            if (!(estimate > lo && estimate < hi) || trials >= SecantTrials)
            {
                estimate = trials < SecantTrials && totalHi > totalLo ? lo + (_threshold - totalLo) * (hi - lo) / (totalHi - totalLo) : double.NaN;
                if (!(estimate > lo && estimate < hi)) estimate = lo + 0.5 * (hi - lo);
            }
            int point = Math.Clamp((int)Math.Floor(estimate), lo + 1, hi - 1);
            (bool within, double total) = Trial(point);
            trials++;
            if (within) (lo, totalLo) = (point, total);
            else (hi, totalHi) = (point, total);
            // Secant through the last two trials; after the first, a step on the model's slope there (one unit of total
            // per unit of λ for each block the level caps).
            double slope = lastPoint >= 0 && total != lastTotal
                ? (total - lastTotal) / (point - lastPoint)
                : Math.Max(1, SsimCaps.Excess(_plannedLosses, point * (1f / Grid), _width).Count) / (double)Grid;
            estimate = point + (_threshold - total) / slope;
            lastPoint = point;
            lastTotal = total;
        }
        return lo * (1f / Grid);
    }

    /// <summary>Trials led by the secant before the bracket is only halved (measured on the corpus: 3-6 for nearly every
    /// block set, so this only bounds odd cases at the bisection's twenty more).</summary>
    private const int SecantTrials = 10;

    /// <summary>The water level of the model in which a capped block loses the level itself: the λ where
    /// Σ min(planned loss, λ) reaches the threshold, by Newton's method on the convex Σ max(0, planned loss − λ) from
    /// λ = 0 (each step lands at or below the root). A few vector passes over the planned losses.</summary>
    private double WaterLevel(float planned)
    {
        double target = (double)planned - _threshold, level = 0, excess = planned, count = _plannedLosses.Length;
        for (int step = 0; step < 12 && count > 0; step++)
        {
            double move = (excess - target) / count;
            if (!(move > 0.25 / Grid)) break;
            level += move;
            (float e, float c) = SsimCaps.Excess(_plannedLosses, (float)level, _width);
            (excess, count) = (e, c);
        }
        return level;
    }

    /// <summary>Whether grid point k is within the budget, and the total it was decided on.</summary>
    public (bool Within, double Total) Trial(int k)
    {
        float lambda = k * (1f / Grid);
        Span<float> losses = _losses;
        SsimCaps.ExpectedLosses(_energy, _contrast, _luminance, _kr, _fourKp, _planned, _plannedLosses, lambda, losses, _width);
        float lanes = SpanDriver.LaneSum<IdentityOperator>(losses, _width);
        double gap = (double)lanes - _threshold;
        if (double.IsFinite(gap) && Math.Abs(gap) > _margin * lanes) return (lanes <= _threshold, lanes);
        float total = 0;
        foreach (float l in losses) total += l;
        return (total <= _threshold, total);
    }
}
