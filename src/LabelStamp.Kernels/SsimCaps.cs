using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>
/// The image mark's SSIM budget (<c>SsimBudget</c> in the library) in float lanes. A block with chip energy p,
/// contrast denominator r and luminance coefficient k loses L(a) = p a² / (r + p a²) + k a² at amplitude a; its cap
/// at a loss λ is the positive root of k p x² + (p (1 − λ) + k r) x − λ r = 0 in x = a², taken without
/// cancellation (<see cref="CapScalarReference"/>), and its expected loss under the budget's ordered dither is L(planned)
/// when the cap reaches the planned amplitude, else L interpolated between the two whole levels around the cap
/// (<see cref="ExpectedLossScalarReference"/>). The budget's search asks for the expected losses of up to 1,024 blocks at
/// each trial λ (<see cref="ExpectedLosses"/>, with the λ-free terms made once by <see cref="Terms"/>) and for every
/// block's capped amplitude once (<see cref="CappedAmplitudes"/>): one block per lane instead of one at a time
/// (measured: the bisection was a third of a 256 px embed). Defined for regular blocks (p &gt; 0, r &gt; 0, k ≥ 0, all finite); other lanes' results are
/// unspecified and the caller computes them itself. Every operation is IEEE-exact per lane in the scalar
/// reference's order, so every width gives the reference to the bit.
/// </summary>
public static class SsimCaps
{
    /// <summary>The lanes of <see cref="Excess"/>'s fixed-order sums.</summary>
    private const int Lanes = SpanDriver.SumLanes;

    /// <summary>
    /// The terms of <see cref="ExpectedLosses"/> that do not depend on λ, once per block instead of once per trial λ: kr[i] = k r, fourKp[i] = (4 k) p (the
    /// reference's products in its order) and plannedLosses[i] = L(planned[i]).
    /// </summary>
    public static void Terms(ReadOnlySpan<float> energy, ReadOnlySpan<float> contrast, ReadOnlySpan<float> luminance, ReadOnlySpan<float> planned,
        Span<float> kr, Span<float> fourKp, Span<float> plannedLosses, VectorWidth width = VectorWidth.Auto)
    {
        int n = plannedLosses.Length;
        if (energy.Length < n || contrast.Length < n || luminance.Length < n || planned.Length < n || kr.Length < n || fourKp.Length < n)
            throw new ArgumentException("Block planes are shorter than the output.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref float p = ref MemoryMarshal.GetReference(energy);
        ref float r = ref MemoryMarshal.GetReference(contrast);
        ref float k = ref MemoryMarshal.GetReference(luminance);
        ref float a = ref MemoryMarshal.GetReference(planned);
        ref float okr = ref MemoryMarshal.GetReference(kr);
        ref float okp = ref MemoryMarshal.GetReference(fourKp);
        ref float ol = ref MemoryMarshal.GetReference(plannedLosses);
        int i = 0;
        if (width == VectorWidth.V512) i = TermsBody<Lanes512>(ref p, ref r, ref k, ref a, ref okr, ref okp, ref ol, i, n);
        if (width >= VectorWidth.V256) i = TermsBody<Lanes256>(ref p, ref r, ref k, ref a, ref okr, ref okp, ref ol, i, n);
        if (width >= VectorWidth.V128) i = TermsBody<Lanes128>(ref p, ref r, ref k, ref a, ref okr, ref okp, ref ol, i, n);
        TermsBody<Lanes1>(ref p, ref r, ref k, ref a, ref okr, ref okp, ref ol, i, n);
    }

    /// <summary>
    /// losses[i] = L(planned[i]) when the cap at λ reaches it, else (1 − f) L(⌊cap⌋) + f L(⌊cap⌋ + 1), f = cap − ⌊cap⌋
    /// (<see cref="ExpectedLossScalarReference"/> to the bit), with the λ-free terms made once by <see cref="Terms"/>: one
    /// division and five multiplications fewer per block and trial λ than from the coefficients alone. The budget's
    /// search asks it several times over the same blocks.
    /// </summary>
    public static void ExpectedLosses(ReadOnlySpan<float> energy, ReadOnlySpan<float> contrast, ReadOnlySpan<float> luminance,
        ReadOnlySpan<float> kr, ReadOnlySpan<float> fourKp, ReadOnlySpan<float> planned, ReadOnlySpan<float> plannedLosses,
        float lambda, Span<float> losses, VectorWidth width = VectorWidth.Auto)
    {
        int n = losses.Length;
        if (energy.Length < n || contrast.Length < n || luminance.Length < n || kr.Length < n || fourKp.Length < n || planned.Length < n
            || plannedLosses.Length < n)
            throw new ArgumentException("Block planes are shorter than the output.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        var planes = new TermPlanes(ref MemoryMarshal.GetReference(energy), ref MemoryMarshal.GetReference(contrast),
            ref MemoryMarshal.GetReference(luminance), ref MemoryMarshal.GetReference(kr), ref MemoryMarshal.GetReference(fourKp),
            ref MemoryMarshal.GetReference(planned), ref MemoryMarshal.GetReference(plannedLosses));
        ref float o = ref MemoryMarshal.GetReference(losses);
        int i = 0;
        if (width == VectorWidth.V512) i = HoistedLossBody<Lanes512>(in planes, lambda, ref o, i, n);
        if (width >= VectorWidth.V256) i = HoistedLossBody<Lanes256>(in planes, lambda, ref o, i, n);
        if (width >= VectorWidth.V128) i = HoistedLossBody<Lanes128>(in planes, lambda, ref o, i, n);
        HoistedLossBody<Lanes1>(in planes, lambda, ref o, i, n);
    }

    /// <summary>
    /// Σ max(0, losses[i] − level) and the count of losses ≥ level, in float lanes: the water-filling model of the budget
    /// (every block's loss cut at the level), whose root the budget's search starts from. Element i goes to lane i mod 16
    /// on every width and the lanes are added in lane order, so every width equals <see cref="ExcessScalarReference"/>.
    /// </summary>
    public static (float Excess, float Count) Excess(ReadOnlySpan<float> losses, float level, VectorWidth width = VectorWidth.Auto)
    {
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        Span<float> lanes = stackalloc float[2 * Lanes];
        lanes.Clear();
        ref float x = ref MemoryMarshal.GetReference(losses);
        ref float l = ref MemoryMarshal.GetReference(lanes);
        int i = width switch
        {
            VectorWidth.V512 => ExcessBody<Lanes512>(ref x, losses.Length, level, ref l),
            VectorWidth.V256 => ExcessBody<Lanes256>(ref x, losses.Length, level, ref l),
            VectorWidth.V128 => ExcessBody<Lanes128>(ref x, losses.Length, level, ref l),
            _ => 0,
        };
        for (; i < losses.Length; i++)
        {
            float v = losses[i];
            lanes[i % Lanes] += MathF.Max(v - level, 0);
            lanes[Lanes + i % Lanes] += v >= level ? 1 : 0;
        }
        return LaneTotals(lanes);
    }

    /// <summary>The lane-ordered excess every width of <see cref="Excess"/> is tested against.</summary>
    public static (float Excess, float Count) ExcessScalarReference(ReadOnlySpan<float> losses, float level)
    {
        Span<float> lanes = stackalloc float[2 * Lanes];
        lanes.Clear();
        for (int i = 0; i < losses.Length; i++)
        {
            float v = losses[i];
            lanes[i % Lanes] += MathF.Max(v - level, 0);
            lanes[Lanes + i % Lanes] += v >= level ? 1 : 0;
        }
        return LaneTotals(lanes);
    }

    /// <summary>
    /// The budget's last step for a row of blocks at the found λ: amplitudes[i] = −1 where the cap reaches planned[i] (the
    /// block keeps its gain), else the dithered amplitude min(⌊cap⌋ + (cap − ⌊cap⌋ &gt; thresholds[i] ? 1 : 0), planned[i]),
    /// and NaN for a block outside the domain (p &gt; 0, r &gt; 0, k ≥ 0, all finite), which the caller decides itself. One
    /// pass instead of caps for every block and a scalar domain test per block (measured: that loop was four fifths of the
    /// budget at 1 MP).
    /// </summary>
    public static void CappedAmplitudes(ReadOnlySpan<float> energy, ReadOnlySpan<float> contrast, ReadOnlySpan<float> luminance,
        ReadOnlySpan<float> planned, ReadOnlySpan<float> thresholds, float lambda, Span<float> amplitudes, VectorWidth width = VectorWidth.Auto)
    {
        int n = amplitudes.Length;
        if (energy.Length < n || contrast.Length < n || luminance.Length < n || planned.Length < n || thresholds.Length < n)
            throw new ArgumentException("Block planes are shorter than the output.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref float p = ref MemoryMarshal.GetReference(energy);
        ref float r = ref MemoryMarshal.GetReference(contrast);
        ref float k = ref MemoryMarshal.GetReference(luminance);
        ref float a = ref MemoryMarshal.GetReference(planned);
        ref float t = ref MemoryMarshal.GetReference(thresholds);
        ref float o = ref MemoryMarshal.GetReference(amplitudes);
        int i = 0;
        if (width == VectorWidth.V512) i = AmplitudeBody<Lanes512>(ref p, ref r, ref k, ref a, ref t, lambda, ref o, i, n);
        if (width >= VectorWidth.V256) i = AmplitudeBody<Lanes256>(ref p, ref r, ref k, ref a, ref t, lambda, ref o, i, n);
        if (width >= VectorWidth.V128) i = AmplitudeBody<Lanes128>(ref p, ref r, ref k, ref a, ref t, lambda, ref o, i, n);
        AmplitudeBody<Lanes1>(ref p, ref r, ref k, ref a, ref t, lambda, ref o, i, n);
    }

    /// <summary>The textbook last step every width of <see cref="CappedAmplitudes"/> is tested against.</summary>
    public static float CappedAmplitudeScalarReference(float p, float r, float k, int planned, float threshold, float lambda)
    {
        if (!(p > 0 && r > 0 && k >= 0 && float.IsFinite(p) && float.IsFinite(r) && float.IsFinite(k))) return float.NaN;
        float cap = CapScalarReference(p, r, k, lambda);
        if (cap >= planned) return -1;
        int whole = (int)cap;
        int amplitude = whole + (cap - whole > threshold ? 1 : 0);
        return Math.Min(amplitude, planned);
    }

    /// <summary>The textbook cap every width is tested against.</summary>
    public static float CapScalarReference(float p, float r, float k, float lambda)
    {
        float bq = p * (1 - lambda) + k * r;
        float x = 2 * lambda * r / (bq + MathF.Sqrt(bq * bq + 4 * k * p * lambda * r));
        return MathF.Sqrt(x);
    }

    /// <summary>The textbook loss of a block at a whole amplitude a.</summary>
    public static float LossScalarReference(float p, float r, float k, int a)
    {
        float e = p * a * a;
        return e / (r + e) + k * a * a;
    }

    /// <summary>The textbook expected loss every width is tested against.</summary>
    public static float ExpectedLossScalarReference(float p, float r, float k, int planned, float lambda)
    {
        float cap = CapScalarReference(p, r, k, lambda);
        if (cap >= planned) return LossScalarReference(p, r, k, planned);
        int whole = (int)cap;
        float f = cap - whole;
        return (1 - f) * LossScalarReference(p, r, k, whole) + f * LossScalarReference(p, r, k, whole + 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Cap<T>(T p, T r, T k, T lambda, T oneMinusLambda, T twoLambda) where T : struct, IFloatLanes<T>
    {
        // The reference's order: (p (1 − λ)) + (k r); ((2λ) r) / (b + √((b b) + ((((4 k) p) λ) r))).
        T bq = p * oneMinusLambda + k * r;
        T x = twoLambda * r / (bq + T.Sqrt(bq * bq + T.Create(4) * k * p * lambda * r));
        return T.Sqrt(x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Loss<T>(T p, T r, T k, T a) where T : struct, IFloatLanes<T>
    {
        T e = p * a * a;
        return e / (r + e) + k * a * a;
    }

    /// <summary>The seven input planes of the hoisted expected loss, by reference.</summary>
    private readonly ref struct TermPlanes(ref float p, ref float r, ref float k, ref float kr, ref float fourKp, ref float a, ref float plannedLoss)
    {
        public readonly ref float P = ref p;
        public readonly ref float R = ref r;
        public readonly ref float K = ref k;
        public readonly ref float Kr = ref kr;
        public readonly ref float FourKp = ref fourKp;
        public readonly ref float A = ref a;
        public readonly ref float PlannedLoss = ref plannedLoss;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int TermsBody<T>(ref float p, ref float r, ref float k, ref float a, ref float okr, ref float okp, ref float ol, int i, int n)
        where T : struct, IFloatLanes<T>
    {
        T four = T.Create(4);
        for (int last = n - T.Count; i <= last; i += T.Count)
        {
            var at = (nuint)i;
            T pv = T.Load(ref p, at), rv = T.Load(ref r, at), kv = T.Load(ref k, at);
            T.Store(kv * rv, ref okr, at);
            T.Store(four * kv * pv, ref okp, at);
            T.Store(Loss(pv, rv, kv, T.Load(ref a, at)), ref ol, at);
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int HoistedLossBody<T>(in TermPlanes planes, float lambda, ref float o, int i, int n) where T : struct, IFloatLanes<T>
    {
        T l = T.Create(lambda), l1 = T.Create(1 - lambda), l2 = T.Create(2 * lambda), one = T.Create(1);
        for (int last = n - T.Count; i <= last; i += T.Count)
        {
            var at = (nuint)i;
            T pv = T.Load(ref planes.P, at), rv = T.Load(ref planes.R, at), kv = T.Load(ref planes.K, at);
            // Cap's order with (k r) and ((4 k) p) taken from the planes: (p (1 − λ)) + kr; ((2λ) r) / (b + √((b b) + ((4kp λ) r))).
            T bq = pv * l1 + T.Load(ref planes.Kr, at);
            T cap = T.Sqrt(l2 * rv / (bq + T.Sqrt(bq * bq + T.Load(ref planes.FourKp, at) * l * rv)));
            T whole = T.Truncate(cap), f = cap - whole;
            T dithered = (one - f) * Loss(pv, rv, kv, whole) + f * Loss(pv, rv, kv, whole + one);
            T.Store(T.SelectAtLeast(cap, T.Load(ref planes.A, at), T.Load(ref planes.PlannedLoss, at), dithered), ref o, at);
        }
        return i;
    }

    private static (float Excess, float Count) LaneTotals(ReadOnlySpan<float> lanes)
    {
        float excess = 0, count = 0;
        for (int k = 0; k < Lanes; k++) excess += lanes[k];
        for (int k = 0; k < Lanes; k++) count += lanes[Lanes + k];
        return (excess, count);
    }

    /// <summary>Whole blocks of 16 losses into 16 / Count accumulators of TLanes per sum (one, two or four), stored over
    /// lanes[0..16) (excess) and lanes[16..32) (count); returns the first loss it did not take.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int ExcessBody<T>(ref float x, int length, float level, ref float lanes) where T : struct, IFloatLanes<T>
    {
        int c = T.Count;
        nuint blocks = (nuint)(length / Lanes * Lanes), i = 0, w = (nuint)c;
        T zero = T.Create(0), one = T.Create(1), lv = T.Create(level);
        T e0 = zero, e1 = zero, e2 = zero, e3 = zero, n0 = zero, n1 = zero, n2 = zero, n3 = zero;
        for (; i < blocks; i += Lanes)
        {
            T v = T.Load(ref x, i);
            e0 += T.Max(v - lv, zero);
            n0 += T.SelectAtLeast(v, lv, one, zero);
            if (c <= 8)
            {
                v = T.Load(ref x, i + w);
                e1 += T.Max(v - lv, zero);
                n1 += T.SelectAtLeast(v, lv, one, zero);
            }
            if (c <= 4)
            {
                v = T.Load(ref x, i + 2 * w);
                e2 += T.Max(v - lv, zero);
                n2 += T.SelectAtLeast(v, lv, one, zero);
                v = T.Load(ref x, i + 3 * w);
                e3 += T.Max(v - lv, zero);
                n3 += T.SelectAtLeast(v, lv, one, zero);
            }
        }
        T.Store(e0, ref lanes, 0);
        T.Store(n0, ref lanes, (nuint)Lanes);
        if (c <= 8)
        {
            T.Store(e1, ref lanes, w);
            T.Store(n1, ref lanes, (nuint)Lanes + w);
        }
        if (c <= 4)
        {
            T.Store(e2, ref lanes, 2 * w);
            T.Store(e3, ref lanes, 3 * w);
            T.Store(n2, ref lanes, (nuint)Lanes + 2 * w);
            T.Store(n3, ref lanes, (nuint)Lanes + 3 * w);
        }
        return (int)i;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int AmplitudeBody<T>(ref float p, ref float r, ref float k, ref float a, ref float t, float lambda, ref float o, int i, int n)
        where T : struct, IFloatLanes<T>
    {
        T l = T.Create(lambda), l1 = T.Create(1 - lambda), l2 = T.Create(2 * lambda);
        T zero = T.Create(0), one = T.Create(1), keep = T.Create(-1), outside = T.Create(float.NaN), infinity = T.Create(float.PositiveInfinity);
        for (int last = n - T.Count; i <= last; i += T.Count)
        {
            var at = (nuint)i;
            T pv = T.Load(ref p, at), rv = T.Load(ref r, at), kv = T.Load(ref k, at), planned = T.Load(ref a, at);
            T cap = Cap(pv, rv, kv, l, l1, l2);
            T whole = T.Truncate(cap);
            // cap − ⌊cap⌋ > threshold, as 1 or 0 (neither is NaN inside the domain).
            T up = T.SelectAtLeast(T.Load(ref t, at), cap - whole, zero, one);
            T amplitude = whole + up;
            amplitude = T.SelectAtLeast(amplitude, planned, planned, amplitude);
            T result = T.SelectAtLeast(cap, planned, keep, amplitude);
            // Outside the domain: p or r not above 0, k below 0, any of them NaN or +∞ (x ≥ x fails only for NaN).
            result = T.SelectAtLeast(zero, pv, outside, result);
            result = T.SelectAtLeast(zero, rv, outside, result);
            result = T.SelectAtLeast(kv, zero, result, outside);
            result = T.SelectAtLeast(pv, pv, result, outside);
            result = T.SelectAtLeast(rv, rv, result, outside);
            result = T.SelectAtLeast(pv, infinity, outside, result);
            result = T.SelectAtLeast(rv, infinity, outside, result);
            result = T.SelectAtLeast(kv, infinity, outside, result);
            T.Store(result, ref o, at);
        }
        return i;
    }
}
