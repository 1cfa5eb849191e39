using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>
/// The image mark's SSIM budget (<c>SsimBudget</c> in the library) in float lanes. A block with chip energy p,
/// contrast denominator r and luminance coefficient k loses L(a) = p a² / (r + p a²) + k a² at amplitude a; its cap
/// at a loss λ is the positive root of k p x² + (p (1 − λ) + k r) x − λ r = 0 in x = a², taken without
/// cancellation (<see cref="Caps"/>), and its expected loss under the budget's ordered dither is L(planned) when the
/// cap reaches the planned amplitude, else L interpolated between the two whole levels around the cap
/// (<see cref="ExpectedLosses"/>). The budget's bisection asks the second for up to 1,024 blocks at each of 20 steps
/// and the first once per block: one block per lane instead of one at a time (measured: the bisection was a third
/// of a 256 px embed). Defined for regular blocks (p &gt; 0, r &gt; 0, k ≥ 0, all finite); other lanes' results are
/// unspecified and the caller computes them itself. Every operation is IEEE-exact per lane in the scalar
/// reference's order, so every width gives the reference to the bit.
/// </summary>
public static class SsimCaps
{
    /// <summary>caps[i] = √x with x = 2λ r / (b + √(b² + 4 k p λ r)), b = p (1 − λ) + k r.</summary>
    public static void Caps(ReadOnlySpan<float> energy, ReadOnlySpan<float> contrast, ReadOnlySpan<float> luminance, float lambda,
        Span<float> caps, VectorWidth width = VectorWidth.Auto)
    {
        int n = caps.Length;
        if (energy.Length < n || contrast.Length < n || luminance.Length < n) throw new ArgumentException("Block planes are shorter than the output.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref float p = ref MemoryMarshal.GetReference(energy);
        ref float r = ref MemoryMarshal.GetReference(contrast);
        ref float k = ref MemoryMarshal.GetReference(luminance);
        ref float o = ref MemoryMarshal.GetReference(caps);
        int i = 0;
        if (width == VectorWidth.V512) i = CapsBody<Lanes512>(ref p, ref r, ref k, lambda, ref o, i, n);
        if (width >= VectorWidth.V256) i = CapsBody<Lanes256>(ref p, ref r, ref k, lambda, ref o, i, n);
        if (width >= VectorWidth.V128) i = CapsBody<Lanes128>(ref p, ref r, ref k, lambda, ref o, i, n);
        CapsBody<Lanes1>(ref p, ref r, ref k, lambda, ref o, i, n);
    }

    /// <summary>losses[i] = L(planned[i]) when caps reach it, else (1 − f) L(⌊cap⌋) + f L(⌊cap⌋ + 1), f = cap − ⌊cap⌋.</summary>
    public static void ExpectedLosses(ReadOnlySpan<float> energy, ReadOnlySpan<float> contrast, ReadOnlySpan<float> luminance,
        ReadOnlySpan<float> planned, float lambda, Span<float> losses, VectorWidth width = VectorWidth.Auto)
    {
        int n = losses.Length;
        if (energy.Length < n || contrast.Length < n || luminance.Length < n || planned.Length < n)
            throw new ArgumentException("Block planes are shorter than the output.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref float p = ref MemoryMarshal.GetReference(energy);
        ref float r = ref MemoryMarshal.GetReference(contrast);
        ref float k = ref MemoryMarshal.GetReference(luminance);
        ref float a = ref MemoryMarshal.GetReference(planned);
        ref float o = ref MemoryMarshal.GetReference(losses);
        int i = 0;
        if (width == VectorWidth.V512) i = LossBody<Lanes512>(ref p, ref r, ref k, ref a, lambda, ref o, i, n);
        if (width >= VectorWidth.V256) i = LossBody<Lanes256>(ref p, ref r, ref k, ref a, lambda, ref o, i, n);
        if (width >= VectorWidth.V128) i = LossBody<Lanes128>(ref p, ref r, ref k, ref a, lambda, ref o, i, n);
        LossBody<Lanes1>(ref p, ref r, ref k, ref a, lambda, ref o, i, n);
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CapsBody<T>(ref float p, ref float r, ref float k, float lambda, ref float o, int i, int n) where T : struct, IFloatLanes<T>
    {
        T l = T.Create(lambda), l1 = T.Create(1 - lambda), l2 = T.Create(2 * lambda);
        for (int last = n - T.Count; i <= last; i += T.Count)
        {
            var at = (nuint)i;
            T.Store(Cap(T.Load(ref p, at), T.Load(ref r, at), T.Load(ref k, at), l, l1, l2), ref o, at);
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LossBody<T>(ref float p, ref float r, ref float k, ref float a, float lambda, ref float o, int i, int n) where T : struct, IFloatLanes<T>
    {
        T l = T.Create(lambda), l1 = T.Create(1 - lambda), l2 = T.Create(2 * lambda), one = T.Create(1);
        for (int last = n - T.Count; i <= last; i += T.Count)
        {
            var at = (nuint)i;
            T pv = T.Load(ref p, at), rv = T.Load(ref r, at), kv = T.Load(ref k, at), planned = T.Load(ref a, at);
            T cap = Cap(pv, rv, kv, l, l1, l2);
            // Below the planned amplitude (≤ 127) the cap truncates exactly as (int)cap does.
            T whole = T.Truncate(cap), f = cap - whole;
            T dithered = (one - f) * Loss(pv, rv, kv, whole) + f * Loss(pv, rv, kv, whole + one);
            T.Store(T.SelectAtLeast(cap, planned, Loss(pv, rv, kv, planned), dithered), ref o, at);
        }
        return i;
    }
}
