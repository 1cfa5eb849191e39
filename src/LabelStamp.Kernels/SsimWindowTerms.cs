using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>
/// Block statistics of the image watermark's fidelity budget, second half: from the integer sums and
/// sums of squares of each SSIM window's samples (per channel, split in a top and a bottom half as the
/// caller gathers them), the three terms of the window's predicted SSIM loss for a chip pattern of
/// amplitude a, added to per-window accumulators:
/// energy += 0.75 α²; ratio += 0.75 α² / (2 α² σ² + C2); luminance += 0.25 α² / (2 (α μ)² + C1),
/// with μ and σ the luma mean and deviation (Rec. 601 weights over three colour channels, σ = Σ w_c σ_c)
/// and α the opacity. Why this model: <c>BlockStatistics</c> and docs/watermark.md. One window per
/// lane: three square roots and two divisions per window were the scalar half of the statistics pass.
/// The body is written once over <see cref="IFloatLanes{TSelf}"/>; every width gives the scalar
/// reference's result to the bit (same operations in the same order, no fused multiply-add).
/// </summary>
public static class SsimWindowTerms
{
    /// <summary>SSIM's stabilising constants for 8-bit samples (K1 = 0.01, K2 = 0.03).</summary>
    public const float C1 = 6.5025f, C2 = 58.5225f;

    private const float WeightRed = 0.299f, WeightGreen = 0.587f, WeightBlue = 0.114f;

    /// <param name="sumsTop">Per channel c (colour channels, then alpha when bands &gt; colour), the sums
    /// of window j's top half at [c · n + j], n = energy.Length; integers below 2²³.</param>
    /// <param name="bands">Channels per pixel: colour + 1 when the last is alpha.</param>
    /// <param name="colour">Colour channels: 3 (RGB) or 1 (grey).</param>
    /// <param name="inverseCount">Per window, 1 / the number of samples per channel it sums.</param>
    public static void Accumulate(ReadOnlySpan<int> sumsTop, ReadOnlySpan<int> sumsBottom,
        ReadOnlySpan<int> squaresTop, ReadOnlySpan<int> squaresBottom, int bands, int colour,
        ReadOnlySpan<float> inverseCount, Span<float> energy, Span<float> ratio, Span<float> luminance,
        VectorWidth width = VectorWidth.Auto)
    {
        int n = energy.Length;
        Check(sumsTop, sumsBottom, squaresTop, squaresBottom, bands, colour, inverseCount, n, ratio, luminance);
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        var a = new Inputs(sumsTop, sumsBottom, squaresTop, squaresBottom, inverseCount, n, colour, bands > colour);
        ref float e = ref MemoryMarshal.GetReference(energy);
        ref float r = ref MemoryMarshal.GetReference(ratio);
        ref float l = ref MemoryMarshal.GetReference(luminance);
        int i = width switch
        {
            VectorWidth.V512 => Body<Lanes512>(a, 0, ref e, ref r, ref l),
            VectorWidth.V256 => Body<Lanes256>(a, 0, ref e, ref r, ref l),
            VectorWidth.V128 => Body<Lanes128>(a, 0, ref e, ref r, ref l),
            _ => 0,
        };
        Body<Lanes1>(a, i, ref e, ref r, ref l);
    }

    /// <summary>The textbook formula every path is tested against.</summary>
    public static void AccumulateScalarReference(ReadOnlySpan<int> sumsTop, ReadOnlySpan<int> sumsBottom,
        ReadOnlySpan<int> squaresTop, ReadOnlySpan<int> squaresBottom, int bands, int colour,
        ReadOnlySpan<float> inverseCount, Span<float> energy, Span<float> ratio, Span<float> luminance)
    {
        int n = energy.Length;
        Check(sumsTop, sumsBottom, squaresTop, squaresBottom, bands, colour, inverseCount, n, ratio, luminance);
        for (int j = 0; j < n; j++)
        {
            float inv = inverseCount[j];
            float mean, variance;
            if (colour == 3)
            {
                float mr = Pair(sumsTop, sumsBottom, 0, n, j) * inv, mg = Pair(sumsTop, sumsBottom, 1, n, j) * inv, mb = Pair(sumsTop, sumsBottom, 2, n, j) * inv;
                mean = WeightRed * mr + WeightGreen * mg + WeightBlue * mb;
                float deviation = WeightRed * MathF.Sqrt(MathF.Max(0, Pair(squaresTop, squaresBottom, 0, n, j) * inv - mr * mr))
                    + WeightGreen * MathF.Sqrt(MathF.Max(0, Pair(squaresTop, squaresBottom, 1, n, j) * inv - mg * mg))
                    + WeightBlue * MathF.Sqrt(MathF.Max(0, Pair(squaresTop, squaresBottom, 2, n, j) * inv - mb * mb));
                variance = deviation * deviation;
            }
            else
            {
                mean = Pair(sumsTop, sumsBottom, 0, n, j) * inv;
                variance = MathF.Max(0, Pair(squaresTop, squaresBottom, 0, n, j) * inv - mean * mean);
            }
            float opacity = 1, opacity2 = 1;
            if (bands > colour)
            {
                opacity = Pair(sumsTop, sumsBottom, colour, n, j) * inv / 255f;
                opacity2 = Pair(squaresTop, squaresBottom, colour, n, j) * inv / (255f * 255f);
            }
            float dm = opacity * mean, e = 0.75f * opacity2;
            energy[j] += e;
            ratio[j] += e / (2 * opacity * opacity * variance + C2);
            luminance[j] += 0.25f * opacity2 / (2 * dm * dm + C1);
        }
    }

    /// <summary>
    /// The per-block finish of the accumulated terms over a run of blocks that share one window count: energy and
    /// luminance times <paramref name="share"/> (1 / the windows the block took: 0.5 or 1, exact in binary floating
    /// point), and contrast = energy / (ratio · share) where ratio &gt; 0, +∞ where it is 0 (a fully transparent block:
    /// no chip energy). A division per block was a scalar loop over every block after the window rows.
    /// </summary>
    public static void Finish(Span<float> energy, Span<float> luminance, ReadOnlySpan<float> ratio, Span<float> contrast, float share,
        VectorWidth width = VectorWidth.Auto)
    {
        int n = energy.Length;
        if (luminance.Length != n || ratio.Length != n || contrast.Length != n)
            throw new ArgumentException("Energy, luminance, ratio and contrast disagree in length.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref float e = ref MemoryMarshal.GetReference(energy);
        ref float l = ref MemoryMarshal.GetReference(luminance);
        ref float r = ref MemoryMarshal.GetReference(ratio);
        ref float c = ref MemoryMarshal.GetReference(contrast);
        int i = width switch
        {
            VectorWidth.V512 => FinishBody<Lanes512>(ref e, ref l, ref r, ref c, share, 0, n),
            VectorWidth.V256 => FinishBody<Lanes256>(ref e, ref l, ref r, ref c, share, 0, n),
            VectorWidth.V128 => FinishBody<Lanes128>(ref e, ref l, ref r, ref c, share, 0, n),
            _ => 0,
        };
        FinishBody<Lanes1>(ref e, ref l, ref r, ref c, share, i, n);
    }

    /// <summary>The per-block loop <see cref="Finish"/> is tested against.</summary>
    public static void FinishScalarReference(Span<float> energy, Span<float> luminance, ReadOnlySpan<float> ratio, Span<float> contrast, float share)
    {
        for (int b = 0; b < energy.Length; b++)
        {
            energy[b] *= share;
            luminance[b] *= share;
            contrast[b] = ratio[b] > 0 ? energy[b] / (ratio[b] * share) : float.PositiveInfinity;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int FinishBody<TLanes>(ref float energy, ref float luminance, ref float ratio, ref float contrast, float share, int i, int n)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        TLanes s = TLanes.Create(share), zero = TLanes.Create(0), infinity = TLanes.Create(float.PositiveInfinity);
        for (; i + TLanes.Count <= n; i += TLanes.Count)
        {
            var at = (nuint)i;
            TLanes e = TLanes.Load(ref energy, at) * s, r = TLanes.Load(ref ratio, at);
            TLanes.Store(e, ref energy, at);
            TLanes.Store(TLanes.Load(ref luminance, at) * s, ref luminance, at);
            // ratio ≤ 0 (only 0 occurs) takes +∞; the division there would be 0 / 0.
            TLanes.Store(TLanes.SelectAtLeast(zero, r, infinity, e / (r * s)), ref contrast, at);
        }
        return i;
    }

    private static float Pair(ReadOnlySpan<int> top, ReadOnlySpan<int> bottom, int channel, int n, int j) =>
        top[channel * n + j] + bottom[channel * n + j];

    private static void Check(ReadOnlySpan<int> sumsTop, ReadOnlySpan<int> sumsBottom, ReadOnlySpan<int> squaresTop,
        ReadOnlySpan<int> squaresBottom, int bands, int colour, ReadOnlySpan<float> inverseCount, int n,
        Span<float> ratio, Span<float> luminance)
    {
        if (colour is not (1 or 3) || bands < colour || bands > colour + 1)
            throw new ArgumentException("Windows have 1 or 3 colour channels and at most one alpha channel.");
        int need = bands * n;
        if (sumsTop.Length < need || sumsBottom.Length < need || squaresTop.Length < need || squaresBottom.Length < need
            || inverseCount.Length < n || ratio.Length != n || luminance.Length != n)
            throw new ArgumentException("Window sums, counts and accumulators disagree in length.");
    }

    private readonly ref struct Inputs
    {
        public readonly ref int SumsTop, SumsBottom, SquaresTop, SquaresBottom;
        public readonly ref float Inverse;
        public readonly int N, Colour;
        public readonly bool Alpha;

        public Inputs(ReadOnlySpan<int> sumsTop, ReadOnlySpan<int> sumsBottom, ReadOnlySpan<int> squaresTop,
            ReadOnlySpan<int> squaresBottom, ReadOnlySpan<float> inverseCount, int n, int colour, bool alpha)
        {
            SumsTop = ref MemoryMarshal.GetReference(sumsTop);
            SumsBottom = ref MemoryMarshal.GetReference(sumsBottom);
            SquaresTop = ref MemoryMarshal.GetReference(squaresTop);
            SquaresBottom = ref MemoryMarshal.GetReference(squaresBottom);
            Inverse = ref MemoryMarshal.GetReference(inverseCount);
            N = n;
            Colour = colour;
            Alpha = alpha;
        }
    }

    /// <summary>Windows from <paramref name="start"/> in whole vectors of TLanes; returns where it stopped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Body<TLanes>(in Inputs a, int start, ref float energy, ref float ratio, ref float luminance)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        TLanes zero = TLanes.Create(0), two = TLanes.Create(2), c1 = TLanes.Create(C1), c2 = TLanes.Create(C2);
        TLanes wr = TLanes.Create(WeightRed), wg = TLanes.Create(WeightGreen), wb = TLanes.Create(WeightBlue);
        int n = a.N, i = start;
        for (; i + TLanes.Count <= n; i += TLanes.Count)
        {
            var at = (nuint)i;
            TLanes inv = TLanes.Load(ref a.Inverse, at);
            TLanes mean, variance;
            if (a.Colour == 3)
            {
                TLanes mr = Moment<TLanes>(ref a.SumsTop, ref a.SumsBottom, 0, n, at) * inv;
                TLanes mg = Moment<TLanes>(ref a.SumsTop, ref a.SumsBottom, 1, n, at) * inv;
                TLanes mb = Moment<TLanes>(ref a.SumsTop, ref a.SumsBottom, 2, n, at) * inv;
                TLanes qr = Moment<TLanes>(ref a.SquaresTop, ref a.SquaresBottom, 0, n, at) * inv;
                TLanes qg = Moment<TLanes>(ref a.SquaresTop, ref a.SquaresBottom, 1, n, at) * inv;
                TLanes qb = Moment<TLanes>(ref a.SquaresTop, ref a.SquaresBottom, 2, n, at) * inv;
                mean = wr * mr + wg * mg + wb * mb;
                TLanes deviation = wr * TLanes.Sqrt(TLanes.Max(zero, qr - mr * mr))
                    + wg * TLanes.Sqrt(TLanes.Max(zero, qg - mg * mg))
                    + wb * TLanes.Sqrt(TLanes.Max(zero, qb - mb * mb));
                variance = deviation * deviation;
            }
            else
            {
                mean = Moment<TLanes>(ref a.SumsTop, ref a.SumsBottom, 0, n, at) * inv;
                variance = TLanes.Max(zero, Moment<TLanes>(ref a.SquaresTop, ref a.SquaresBottom, 0, n, at) * inv - mean * mean);
            }
            TLanes opacity = TLanes.Create(1), opacity2 = opacity;
            if (a.Alpha)
            {
                opacity = Moment<TLanes>(ref a.SumsTop, ref a.SumsBottom, a.Colour, n, at) * inv / TLanes.Create(255f);
                opacity2 = Moment<TLanes>(ref a.SquaresTop, ref a.SquaresBottom, a.Colour, n, at) * inv / TLanes.Create(255f * 255f);
            }
            TLanes dm = opacity * mean, e = TLanes.Create(0.75f) * opacity2;
            TLanes.Store(TLanes.Load(ref energy, at) + e, ref energy, at);
            TLanes.Store(TLanes.Load(ref ratio, at) + e / (two * opacity * opacity * variance + c2), ref ratio, at);
            TLanes.Store(TLanes.Load(ref luminance, at) + TLanes.Create(0.25f) * opacity2 / (two * dm * dm + c1), ref luminance, at);
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TLanes Moment<TLanes>(ref int top, ref int bottom, int channel, int n, nuint at)
        where TLanes : struct, IFloatLanes<TLanes> =>
        TLanes.LoadSumConverted(ref Unsafe.Add(ref top, channel * n), ref Unsafe.Add(ref bottom, channel * n), at);
}
