using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>
/// The loops behind the kernels, one per shape and written once for every width: element-wise (three
/// inputs, one output), complex element-wise (two complex inputs, one complex output) and the fixed-order
/// sum. The element-wise one picks a width, runs whole vectors, and covers the
/// ragged tail with one overlapping last vector instead of a scalar remainder loop. The tail vector is
/// loaded before the main loop writes anything, so the driver is safe when the destination aliases
/// an input (in-place blending).
/// <para>
/// The rule every kernel follows: a width's loop (the generic body a kernel runs once per width, over lanes of that
/// width) is a method of its own that is never inlined, and only the per-vector helpers inside it are. The JIT's
/// inlining budget is per compiled method: with every width's loop inlined into one dispatcher (and, where AVX-512
/// is missing, Vector512's software fallback with them) the budget ran out and the lane operators of the width that
/// runs were left as calls, one per vector (measured: a 2 MP embed's headroom count 3.6 → 0.45 ms once its loop was
/// its own method; bench/WATERMARK.md, twenty-second step). <c>inline-audit</c> in the bench lists any optimised
/// method still calling a lane operator.
/// </para>
/// </summary>
public static class SpanDriver
{
    /// <summary>The width <see cref="VectorWidth.Auto"/> resolves to on this machine and process.</summary>
    public static VectorWidth BestWidth =>
        Vector512.IsHardwareAccelerated ? VectorWidth.V512 :
        Vector256.IsHardwareAccelerated ? VectorWidth.V256 :
        Vector128.IsHardwareAccelerated ? VectorWidth.V128 : VectorWidth.Scalar;

    /// <summary>dest[i] = TOp(x[i], y[i], z[i]); dest may be x, y or z itself.</summary>
    // Not inlined (see the class notes): inlined into MarkAdd's one-line wrappers, the operator was a call per vector.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Apply<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, Span<T> dest,
        VectorWidth width = VectorWidth.Auto)
        where T : unmanaged
        where TOp : ITernaryOperator<T>
    {
        int n = dest.Length;
        if (x.Length != n || y.Length != n || z.Length != n)
            throw new ArgumentException("All spans of an element-wise kernel must have the same length.");
        if (width == VectorWidth.Auto) width = BestWidth;

        ref T px = ref MemoryMarshal.GetReference(x);
        ref T py = ref MemoryMarshal.GetReference(y);
        ref T pz = ref MemoryMarshal.GetReference(z);
        ref T pd = ref MemoryMarshal.GetReference(dest);

        if (width == VectorWidth.V512 && n >= Vector512<T>.Count)
        {
            int step = Vector512<T>.Count, last = n - step;
            Vector512<T> tail = TOp.Invoke(Vector512.LoadUnsafe(ref px, (nuint)last),
                Vector512.LoadUnsafe(ref py, (nuint)last), Vector512.LoadUnsafe(ref pz, (nuint)last));
            for (int i = 0; i < last; i += step)
                TOp.Invoke(Vector512.LoadUnsafe(ref px, (nuint)i), Vector512.LoadUnsafe(ref py, (nuint)i),
                    Vector512.LoadUnsafe(ref pz, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
            tail.StoreUnsafe(ref pd, (nuint)last);
            return;
        }
        if (width >= VectorWidth.V256 && n >= Vector256<T>.Count)
        {
            int step = Vector256<T>.Count, last = n - step;
            Vector256<T> tail = TOp.Invoke(Vector256.LoadUnsafe(ref px, (nuint)last),
                Vector256.LoadUnsafe(ref py, (nuint)last), Vector256.LoadUnsafe(ref pz, (nuint)last));
            for (int i = 0; i < last; i += step)
                TOp.Invoke(Vector256.LoadUnsafe(ref px, (nuint)i), Vector256.LoadUnsafe(ref py, (nuint)i),
                    Vector256.LoadUnsafe(ref pz, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
            tail.StoreUnsafe(ref pd, (nuint)last);
            return;
        }
        if (width >= VectorWidth.V128 && n >= Vector128<T>.Count)
        {
            int step = Vector128<T>.Count, last = n - step;
            Vector128<T> tail = TOp.Invoke(Vector128.LoadUnsafe(ref px, (nuint)last),
                Vector128.LoadUnsafe(ref py, (nuint)last), Vector128.LoadUnsafe(ref pz, (nuint)last));
            for (int i = 0; i < last; i += step)
                TOp.Invoke(Vector128.LoadUnsafe(ref px, (nuint)i), Vector128.LoadUnsafe(ref py, (nuint)i),
                    Vector128.LoadUnsafe(ref pz, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
            tail.StoreUnsafe(ref pd, (nuint)last);
            return;
        }
        for (int i = 0; i < n; i++)
            Unsafe.Add(ref pd, i) = TOp.Invoke(Unsafe.Add(ref px, i), Unsafe.Add(ref py, i), Unsafe.Add(ref pz, i));
    }

    /// <summary>(outRe, outIm)[i] = TOp(a[i], b[i]) over complex spans in split form. Whole vectors of the
    /// widest width asked for, then narrower ones, then single lanes (<see cref="ComplexBody{TOp, TLanes}"/>,
    /// written once): the outputs may alias the inputs (a power spectrum in place), and an overlapping
    /// last vector would read values this call has already replaced.</summary>
    // Not inlined into its callers: inlined into CrossPower.Apply it used up the JIT's inlining budget,
    // and the lane operators of its bodies were left as calls (1.15-1.3× the per-width loops it replaced).
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ApplyComplex<TOp>(ReadOnlySpan<float> aRe, ReadOnlySpan<float> aIm, ReadOnlySpan<float> bRe, ReadOnlySpan<float> bIm,
        Span<float> outRe, Span<float> outIm, VectorWidth width = VectorWidth.Auto)
        where TOp : IComplexOperator
    {
        int n = outRe.Length;
        if (aRe.Length != n || aIm.Length != n || bRe.Length != n || bIm.Length != n || outIm.Length != n)
            throw new ArgumentException("All spans of a complex element-wise kernel must have the same length.");
        if (width == VectorWidth.Auto) width = BestWidth;
        ref float ar = ref MemoryMarshal.GetReference(aRe);
        ref float ai = ref MemoryMarshal.GetReference(aIm);
        ref float br = ref MemoryMarshal.GetReference(bRe);
        ref float bi = ref MemoryMarshal.GetReference(bIm);
        ref float or = ref MemoryMarshal.GetReference(outRe);
        ref float oi = ref MemoryMarshal.GetReference(outIm);
        int i = 0;
        if (width == VectorWidth.V512) i = ComplexBody<TOp, Lanes512>(ref ar, ref ai, ref br, ref bi, ref or, ref oi, i, n);
        if (width >= VectorWidth.V256) i = ComplexBody<TOp, Lanes256>(ref ar, ref ai, ref br, ref bi, ref or, ref oi, i, n);
        if (width >= VectorWidth.V128) i = ComplexBody<TOp, Lanes128>(ref ar, ref ai, ref br, ref bi, ref or, ref oi, i, n);
        ComplexBody<TOp, Lanes1>(ref ar, ref ai, ref br, ref bi, ref or, ref oi, i, n);
    }

    /// <summary>Whole vectors of TLanes from <paramref name="i"/>; returns where it stopped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int ComplexBody<TOp, TLanes>(ref float ar, ref float ai, ref float br, ref float bi, ref float or, ref float oi, int i, int n)
        where TOp : IComplexOperator
        where TLanes : struct, IFloatLanes<TLanes>
    {
        // Bounded by the last start rather than i + Count ≤ n: the JIT then steps i with one add, where the
        // other form cost a move and an add per vector (measured 1.2× at 4 lanes on a 513-bin line).
        for (int last = n - TLanes.Count; i <= last; i += TLanes.Count)
        {
            var at = (nuint)i;
            var (re, im) = TOp.Invoke(TLanes.Load(ref ar, at), TLanes.Load(ref ai, at), TLanes.Load(ref br, at), TLanes.Load(ref bi, at));
            TLanes.Store(re, ref or, at);
            TLanes.Store(im, ref oi, at);
        }
        return i;
    }

    /// <summary>The lanes of <see cref="LaneSum{TOp}"/>: element i goes to lane i mod 16 on every width.</summary>
    public const int SumLanes = 16;

    /// <summary>
    /// Σ TOp(x[i]) in a fixed order on every width: element i is added into lane i mod 16 and the 16 lane
    /// sums are added in lane order at the end. One Vector512, two Vector256 or four Vector128
    /// accumulators hold exactly those 16 lanes (<see cref="LaneSumBody{TOp, TLanes}"/>, written once), so
    /// every width equals <see cref="LaneSumScalarReference{TOp}"/> bit for bit.
    /// </summary>
    public static float LaneSum<TOp>(ReadOnlySpan<float> x, VectorWidth width = VectorWidth.Auto)
        where TOp : IUnaryOperator
    {
        if (width == VectorWidth.Auto) width = BestWidth;
        Span<float> lanes = stackalloc float[SumLanes];
        lanes.Clear();
        ref float p = ref MemoryMarshal.GetReference(x);
        ref float l = ref MemoryMarshal.GetReference(lanes);
        int i = width switch
        {
            VectorWidth.V512 => LaneSumBody<TOp, Lanes512>(ref p, x.Length, ref l),
            VectorWidth.V256 => LaneSumBody<TOp, Lanes256>(ref p, x.Length, ref l),
            VectorWidth.V128 => LaneSumBody<TOp, Lanes128>(ref p, x.Length, ref l),
            _ => 0,
        };
        for (; i < x.Length; i++) lanes[i % SumLanes] += TOp.Invoke(Lanes1.Load(ref p, (nuint)i)).Value;
        return LaneTotal(lanes);
    }

    /// <summary>The lane-ordered sum every width of <see cref="LaneSum{TOp}"/> is tested against.</summary>
    public static float LaneSumScalarReference<TOp>(ReadOnlySpan<float> x) where TOp : IUnaryOperator
    {
        Span<float> lanes = stackalloc float[SumLanes];
        lanes.Clear();
        for (int i = 0; i < x.Length; i++) lanes[i % SumLanes] += TOp.Invoke(new Lanes1(x[i])).Value;
        return LaneTotal(lanes);
    }

    /// <summary>Whole blocks of 16 elements into 16 / Count accumulators of TLanes (one, two or four:
    /// Count is a constant of each instantiation, so the JIT drops the accumulators a width does not
    /// use), stored over <paramref name="lanes"/>; returns the first element it did not add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int LaneSumBody<TOp, TLanes>(ref float p, int length, ref float lanes)
        where TOp : IUnaryOperator
        where TLanes : struct, IFloatLanes<TLanes>
    {
        int c = TLanes.Count;
        if (c < 4 || SumLanes % c != 0) throw new InvalidOperationException("LaneSum needs 4, 8 or 16 lanes per vector.");
        // An unsigned index keeps the loads' constant offsets in the addressing mode, and the guarded
        // do-while gives the loop a preheader, where the JIT hoists the operator's constants (the abs
        // mask); as a plain for loop it reloaded the mask every iteration (measured 1.16-1.5× at 4 and
        // 8 lanes against the per-width loops this replaced).
        nuint blocks = (nuint)(length / SumLanes * SumLanes), i = 0, w = (nuint)c;
        TLanes a0 = TLanes.Create(0), a1 = a0, a2 = a0, a3 = a0;
        if (blocks > 0)
            do
            {
                a0 += TOp.Invoke(TLanes.Load(ref p, i));
                if (c <= 8) a1 += TOp.Invoke(TLanes.Load(ref p, i + w));
                if (c <= 4)
                {
                    a2 += TOp.Invoke(TLanes.Load(ref p, i + 2 * w));
                    a3 += TOp.Invoke(TLanes.Load(ref p, i + 3 * w));
                }
                i += SumLanes;
            }
            while (i < blocks);
        TLanes.Store(a0, ref lanes, 0);
        if (c <= 8) TLanes.Store(a1, ref lanes, w);
        if (c <= 4)
        {
            TLanes.Store(a2, ref lanes, 2 * w);
            TLanes.Store(a3, ref lanes, 3 * w);
        }
        return (int)i;
    }

    private static float LaneTotal(ReadOnlySpan<float> lanes)
    {
        float s = 0;
        for (int k = 0; k < SumLanes; k++) s += lanes[k];
        return s;
    }
}
