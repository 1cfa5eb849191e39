using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>
/// The double sum of floats that are non-negative multiples of one quantum q (a box-reduced luma plane: every value is
/// k · (1/d²) rounded to a float, so a multiple of the ulp of 1/d², the smallest non-zero value). Below 2⁵³ · q every such
/// sum is a multiple of q that a double holds exactly, so every partial sum, in any order, is exact and the vector
/// lanes' sum equals the scalar left-to-right loop to the bit. The caller checks <see cref="IsExact"/> on the result:
/// the values are non-negative, so once a partial sum reaches the bound (a power of two, held exactly) every sum built
/// on it stays at or above it, and a result below it proves that no add rounded. Written once over the double lanes
/// (<see cref="IDoubleLanes{TSelf}"/>). The phase correlation's mean removal summed 16 384 values a patch in one
/// dependent chain of double adds (≈ 4 cycles each, 9 times a tracker step).
/// </summary>
public static class QuantisedSum
{
    /// <summary>Σ values in double: whole vectors into per-lane sums, their lanes, then the tail one by one.</summary>
    public static double Sum(ReadOnlySpan<float> values, VectorWidth width = VectorWidth.Auto)
    {
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref float p = ref MemoryMarshal.GetReference(values);
        int n = values.Length, i = 0;
        double total = 0;
        if (width == VectorWidth.V512) total += Body<DoubleLanes512>(ref p, ref i, n);
        if (width >= VectorWidth.V256) total += Body<DoubleLanes256>(ref p, ref i, n);
        if (width >= VectorWidth.V128) total += Body<DoubleLanes128>(ref p, ref i, n);
        return total + Body<DoubleLanes1>(ref p, ref i, n);
    }

    /// <summary>The loop <see cref="Sum"/> equals when <see cref="IsExact"/> holds: one double, left to right.</summary>
    public static double SumScalarReference(ReadOnlySpan<float> values)
    {
        double total = 0;
        for (int i = 0; i < values.Length; i++) total += values[i];
        return total;
    }

    /// <summary>A sum of non-negative multiples of <paramref name="quantum"/> that came out below 2⁵³ · quantum: no add
    /// rounded, whatever the order.</summary>
    public static bool IsExact(double sum, float quantum) => quantum > 0 && sum < Math.ScaleB(quantum, 53);

    /// <summary>The quantum of the values k · <paramref name="scale"/> (k ≥ 1 an integer, each rounded to a float): the ulp
    /// of <paramref name="scale"/> itself, which every float at or above it is a multiple of.</summary>
    public static float QuantumOf(float scale) => MathF.BitIncrement(scale) - scale;

    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static double Body<TLanes>(ref float p, ref int i, int n) where TLanes : struct, IDoubleLanes<TLanes>
    {
        int c = TLanes.Count;
        if (i + c > n) return 0;
        // Four accumulators: the adds of one are independent of the others' (their latency, not their count, bounded the chain).
        TLanes a0 = TLanes.Create(0), a1 = a0, a2 = a0, a3 = a0;
        for (; i + 4 * c <= n; i += 4 * c)
        {
            a0 += TLanes.LoadWidened(ref p, (nuint)i);
            a1 += TLanes.LoadWidened(ref p, (nuint)(i + c));
            a2 += TLanes.LoadWidened(ref p, (nuint)(i + 2 * c));
            a3 += TLanes.LoadWidened(ref p, (nuint)(i + 3 * c));
        }
        for (; i + c <= n; i += c) a0 += TLanes.LoadWidened(ref p, (nuint)i);
        return TLanes.LaneTotal((a0 + a1) + (a2 + a3));
    }
}
