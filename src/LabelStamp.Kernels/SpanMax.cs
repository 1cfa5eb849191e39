using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>
/// The largest value of a span, in vector lanes: a per-lane running maximum, then the lanes, then a one-lane
/// remainder. The maximum of finite values does not depend on the order they are taken in, so every width gives
/// the scalar loop's value (<see cref="OfScalarReference"/>) to the bit; only which zero comes back when the largest
/// value is zero may differ (+0 or −0), which compares equal. The detector takes the best sync statistic of every
/// fold this way (65,536 values a fold, 28 folds in a rotation sweep) where a scalar double loop did it.
/// </summary>
public static class SpanMax
{
    /// <summary>The largest value of <paramref name="x"/> (at least one value; NaN if any value is NaN).</summary>
    public static float Of(ReadOnlySpan<float> x, VectorWidth width = VectorWidth.Auto)
    {
        if (x.IsEmpty) throw new ArgumentException("The maximum of no values is undefined.", nameof(x));
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref float p = ref MemoryMarshal.GetReference(x);
        int n = x.Length;
        float best = x[0];
        int i = 0;
        if (width == VectorWidth.V512) best = Body<Lanes512>(ref p, ref i, n, best);
        if (width >= VectorWidth.V256) best = Body<Lanes256>(ref p, ref i, n, best);
        if (width >= VectorWidth.V128) best = Body<Lanes128>(ref p, ref i, n, best);
        return Body<Lanes1>(ref p, ref i, n, best);
    }

    /// <summary>Whole vectors of TLanes from <paramref name="i"/> (advanced past them), folded into <paramref name="best"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static float Body<TLanes>(ref float p, ref int i, int n, float best)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        if (n - i < TLanes.Count) return best;
        TLanes m = TLanes.Create(best);
        for (int last = n - TLanes.Count; i <= last; i += TLanes.Count)
            m = TLanes.Max(m, TLanes.Load(ref p, (nuint)i));
        Span<float> lanes = stackalloc float[TLanes.Count];
        TLanes.Store(m, ref MemoryMarshal.GetReference(lanes), 0);
        foreach (float v in lanes) best = MathF.Max(best, v);
        return best;
    }

    /// <summary>
    /// The index of the first largest value: what <c>best = 0; for i ≥ 1: if (x[i] &gt; x[best]) best = i</c> gives (the
    /// detector's peak scans, <see cref="FirstIndexOfMaxScalarReference"/>), in two vector passes: the largest value
    /// (<see cref="Of"/>), then the first lane equal to it. For values without NaN the loop's answer is the first index
    /// holding the maximum (a later equal value is not greater; +0 and −0 are equal both ways), which is what the second
    /// pass finds whichever zero the first returned. With a NaN the loop's answer depends on where it stands, so the
    /// loop itself runs.
    /// </summary>
    public static int FirstIndexOfMax(ReadOnlySpan<float> x, VectorWidth width = VectorWidth.Auto)
    {
        float max = Of(x, width);
        if (float.IsNaN(max)) return FirstIndexOfMaxScalarReference(x);
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref float p = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0, found = -1;
        if (width == VectorWidth.V512) found = FirstEqual<Lanes512>(ref p, ref i, n, max);
        if (found < 0 && width >= VectorWidth.V256) found = FirstEqual<Lanes256>(ref p, ref i, n, max);
        if (found < 0 && width >= VectorWidth.V128) found = FirstEqual<Lanes128>(ref p, ref i, n, max);
        if (found < 0) found = FirstEqual<Lanes1>(ref p, ref i, n, max);
        return found;
    }

    /// <summary>Whole vectors of TLanes from <paramref name="i"/> (advanced past those without a match): the index of the
    /// first value equal to <paramref name="value"/>, or −1.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int FirstEqual<TLanes>(ref float p, ref int i, int n, float value)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        TLanes v = TLanes.Create(value);
        for (int last = n - TLanes.Count; i <= last; i += TLanes.Count)
        {
            int lane = TLanes.FirstEqual(TLanes.Load(ref p, (nuint)i), v);
            if (lane >= 0) return i + lane;
        }
        return -1;
    }

    /// <summary>The peak scan <see cref="FirstIndexOfMax"/> is tested against.</summary>
    public static int FirstIndexOfMaxScalarReference(ReadOnlySpan<float> x)
    {
        if (x.IsEmpty) throw new ArgumentException("The maximum of no values is undefined.", nameof(x));
        int best = 0;
        for (int i = 1; i < x.Length; i++) if (x[i] > x[best]) best = i;
        return best;
    }

    /// <summary>The loop <see cref="Of"/> is tested against.</summary>
    public static float OfScalarReference(ReadOnlySpan<float> x)
    {
        if (x.IsEmpty) throw new ArgumentException("The maximum of no values is undefined.", nameof(x));
        float best = x[0];
        for (int i = 1; i < x.Length; i++) best = MathF.Max(best, x[i]);
        return best;
    }
}
