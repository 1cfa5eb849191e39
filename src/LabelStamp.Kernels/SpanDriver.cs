using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>
/// The loops behind the kernels, one per shape and written once for every width: element-wise (three
/// inputs, one output), complex element-wise (two complex inputs, one complex output), the butterfly (two complex
/// spans updated in place with a coefficient) and the fixed-order sum. The element-wise one picks a width, runs whole vectors, and covers the
/// ragged tail with one overlapping last vector instead of a scalar remainder loop. The tail vector is
/// loaded before the main loop writes anything, so the driver is safe when the destination aliases
/// an input (in-place blending).
/// </summary>
public static class SpanDriver
{
    /// <summary>The width <see cref="VectorWidth.Auto"/> resolves to on this machine and process.</summary>
    public static VectorWidth BestWidth =>
        Vector512.IsHardwareAccelerated ? VectorWidth.V512 :
        Vector256.IsHardwareAccelerated ? VectorWidth.V256 :
        Vector128.IsHardwareAccelerated ? VectorWidth.V128 : VectorWidth.Scalar;

    /// <summary>dest[i] = TOp(x[i], y[i], z[i]); dest may be x, y or z itself.</summary>
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

    /// <summary>(outRe, outIm)[i] = TOp(a[i], b[i]) over complex spans in split form. Whole vectors, then
    /// a scalar tail: the outputs may alias the inputs (a power spectrum in place), and an overlapping
    /// last vector would read values this call has already replaced.</summary>
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
        if (width == VectorWidth.V512)
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var (re, im) = TOp.Invoke(Vector512.LoadUnsafe(ref ar, (nuint)i), Vector512.LoadUnsafe(ref ai, (nuint)i),
                    Vector512.LoadUnsafe(ref br, (nuint)i), Vector512.LoadUnsafe(ref bi, (nuint)i));
                re.StoreUnsafe(ref or, (nuint)i);
                im.StoreUnsafe(ref oi, (nuint)i);
            }
        if (width >= VectorWidth.V256)
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var (re, im) = TOp.Invoke(Vector256.LoadUnsafe(ref ar, (nuint)i), Vector256.LoadUnsafe(ref ai, (nuint)i),
                    Vector256.LoadUnsafe(ref br, (nuint)i), Vector256.LoadUnsafe(ref bi, (nuint)i));
                re.StoreUnsafe(ref or, (nuint)i);
                im.StoreUnsafe(ref oi, (nuint)i);
            }
        if (width >= VectorWidth.V128)
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                var (re, im) = TOp.Invoke(Vector128.LoadUnsafe(ref ar, (nuint)i), Vector128.LoadUnsafe(ref ai, (nuint)i),
                    Vector128.LoadUnsafe(ref br, (nuint)i), Vector128.LoadUnsafe(ref bi, (nuint)i));
                re.StoreUnsafe(ref or, (nuint)i);
                im.StoreUnsafe(ref oi, (nuint)i);
            }
        for (; i < n; i++)
        {
            var (re, im) = TOp.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref ai, i), Unsafe.Add(ref br, i), Unsafe.Add(ref bi, i));
            Unsafe.Add(ref or, i) = re;
            Unsafe.Add(ref oi, i) = im;
        }
    }

    /// <summary>(a, b)[j] = TOp(a[j], b[j], w[j]) in place over two complex spans of length n with a
    /// coefficient span: whole vectors, then a scalar tail (a and b are updated in place, so no overlapping
    /// last vector). Callers with very short spans (an FFT's first stages) may call the scalar
    /// <c>TOp.Invoke</c> themselves: a call per two-point group would cost more than its work.</summary>
    public static void ApplyButterfly<TOp>(Span<float> aRe, Span<float> aIm, Span<float> bRe, Span<float> bIm,
        ReadOnlySpan<float> wRe, ReadOnlySpan<float> wIm, VectorWidth width = VectorWidth.Auto)
        where TOp : IButterflyOperator
    {
        int n = aRe.Length;
        if (aIm.Length != n || bRe.Length != n || bIm.Length != n || wRe.Length != n || wIm.Length != n)
            throw new ArgumentException("All spans of a butterfly kernel must have the same length.");
        if (width == VectorWidth.Auto) width = BestWidth;
        ref float ar = ref MemoryMarshal.GetReference(aRe);
        ref float ai = ref MemoryMarshal.GetReference(aIm);
        ref float br = ref MemoryMarshal.GetReference(bRe);
        ref float bi = ref MemoryMarshal.GetReference(bIm);
        ref float wr = ref MemoryMarshal.GetReference(wRe);
        ref float wi = ref MemoryMarshal.GetReference(wIm);
        int j = 0;
        if (width == VectorWidth.V512)
            for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
            {
                nuint k = (nuint)j;
                var (a0, a1, b0, b1) = TOp.Invoke(Vector512.LoadUnsafe(ref ar, k), Vector512.LoadUnsafe(ref ai, k), Vector512.LoadUnsafe(ref br, k),
                    Vector512.LoadUnsafe(ref bi, k), Vector512.LoadUnsafe(ref wr, k), Vector512.LoadUnsafe(ref wi, k));
                a0.StoreUnsafe(ref ar, k); a1.StoreUnsafe(ref ai, k); b0.StoreUnsafe(ref br, k); b1.StoreUnsafe(ref bi, k);
            }
        if (width >= VectorWidth.V256)
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                nuint k = (nuint)j;
                var (a0, a1, b0, b1) = TOp.Invoke(Vector256.LoadUnsafe(ref ar, k), Vector256.LoadUnsafe(ref ai, k), Vector256.LoadUnsafe(ref br, k),
                    Vector256.LoadUnsafe(ref bi, k), Vector256.LoadUnsafe(ref wr, k), Vector256.LoadUnsafe(ref wi, k));
                a0.StoreUnsafe(ref ar, k); a1.StoreUnsafe(ref ai, k); b0.StoreUnsafe(ref br, k); b1.StoreUnsafe(ref bi, k);
            }
        if (width >= VectorWidth.V128)
            for (; j <= n - Vector128<float>.Count; j += Vector128<float>.Count)
            {
                nuint k = (nuint)j;
                var (a0, a1, b0, b1) = TOp.Invoke(Vector128.LoadUnsafe(ref ar, k), Vector128.LoadUnsafe(ref ai, k), Vector128.LoadUnsafe(ref br, k),
                    Vector128.LoadUnsafe(ref bi, k), Vector128.LoadUnsafe(ref wr, k), Vector128.LoadUnsafe(ref wi, k));
                a0.StoreUnsafe(ref ar, k); a1.StoreUnsafe(ref ai, k); b0.StoreUnsafe(ref br, k); b1.StoreUnsafe(ref bi, k);
            }
        for (; j < n; j++)
            (Unsafe.Add(ref ar, j), Unsafe.Add(ref ai, j), Unsafe.Add(ref br, j), Unsafe.Add(ref bi, j)) = TOp.Invoke(
                Unsafe.Add(ref ar, j), Unsafe.Add(ref ai, j), Unsafe.Add(ref br, j), Unsafe.Add(ref bi, j), Unsafe.Add(ref wr, j), Unsafe.Add(ref wi, j));
    }

    /// <summary>The lanes of <see cref="LaneSum{TOp}"/>: element i goes to lane i mod 16 on every width.</summary>
    public const int SumLanes = 16;

    /// <summary>
    /// Σ TOp(x[i]) in a fixed order on every width: element i is added into lane i mod 16 and the 16 lane
    /// sums are added in lane order at the end. One Vector512, two Vector256 or four Vector128
    /// accumulators hold exactly those 16 lanes, so every width equals <see cref="LaneSumScalarReference{TOp}"/>
    /// bit for bit.
    /// </summary>
    public static float LaneSum<TOp>(ReadOnlySpan<float> x, VectorWidth width = VectorWidth.Auto)
        where TOp : IUnaryOperator
    {
        if (width == VectorWidth.Auto) width = BestWidth;
        Span<float> lanes = stackalloc float[SumLanes];
        lanes.Clear();
        int blocks = x.Length / SumLanes * SumLanes, i = 0;
        ref float p = ref MemoryMarshal.GetReference(x);
        if (width == VectorWidth.V512)
        {
            var a = Vector512<float>.Zero;
            for (; i < blocks; i += SumLanes) a += TOp.Invoke(Vector512.LoadUnsafe(ref p, (nuint)i));
            a.CopyTo(lanes);
        }
        else if (width == VectorWidth.V256)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = Vector256<float>.Zero;
            for (; i < blocks; i += SumLanes)
            {
                a0 += TOp.Invoke(Vector256.LoadUnsafe(ref p, (nuint)i));
                a1 += TOp.Invoke(Vector256.LoadUnsafe(ref p, (nuint)(i + 8)));
            }
            a0.CopyTo(lanes); a1.CopyTo(lanes[8..]);
        }
        else if (width == VectorWidth.V128)
        {
            Vector128<float> a0 = Vector128<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i < blocks; i += SumLanes)
            {
                a0 += TOp.Invoke(Vector128.LoadUnsafe(ref p, (nuint)i));
                a1 += TOp.Invoke(Vector128.LoadUnsafe(ref p, (nuint)(i + 4)));
                a2 += TOp.Invoke(Vector128.LoadUnsafe(ref p, (nuint)(i + 8)));
                a3 += TOp.Invoke(Vector128.LoadUnsafe(ref p, (nuint)(i + 12)));
            }
            a0.CopyTo(lanes); a1.CopyTo(lanes[4..]); a2.CopyTo(lanes[8..]); a3.CopyTo(lanes[12..]);
        }
        for (; i < x.Length; i++) lanes[i % SumLanes] += TOp.Invoke(Unsafe.Add(ref p, i));
        return LaneTotal(lanes);
    }

    /// <summary>The lane-ordered sum every width of <see cref="LaneSum{TOp}"/> is tested against.</summary>
    public static float LaneSumScalarReference<TOp>(ReadOnlySpan<float> x) where TOp : IUnaryOperator
    {
        Span<float> lanes = stackalloc float[SumLanes];
        lanes.Clear();
        for (int i = 0; i < x.Length; i++) lanes[i % SumLanes] += TOp.Invoke(x[i]);
        return LaneTotal(lanes);
    }

    private static float LaneTotal(ReadOnlySpan<float> lanes)
    {
        float s = 0;
        for (int k = 0; k < SumLanes; k++) s += lanes[k];
        return s;
    }
}
