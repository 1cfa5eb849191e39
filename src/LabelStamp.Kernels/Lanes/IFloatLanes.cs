namespace LabelStamp.Kernels.Lanes;

/// <summary>
/// A vector of float lanes of one width, with the arithmetic a kernel needs, so that a kernel's body is
/// written once as a generic method over TLanes and runs at every width (<see cref="Lanes128"/>,
/// <see cref="Lanes256"/>, <see cref="Lanes512"/>) and on one lane (<see cref="Lanes1"/>) for ragged
/// tails. The JIT specialises a generic method per struct type argument, so each width compiles to its
/// own straight vector code. Every operation is IEEE-exact per lane (no fused multiply-add), so all
/// widths give the scalar result to the bit when the body's order of operations matches it.
/// Every member of an implementation is AggressiveInlining, and the body that uses them is a method of its own per
/// width, never inlined into its dispatcher (<see cref="SpanDriver"/>'s rule): a body inlined into a large caller
/// can use up the JIT's inlining budget, and a lane operator left as a call (seen in CrossPower.Apply: a call per
/// vector multiply and add, 1.15-1.3× the time of the per-width loops) costs more than the vector work.
/// </summary>
public interface IFloatLanes<TSelf> where TSelf : struct, IFloatLanes<TSelf>
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    static abstract TSelf Create(float value);

    /// <summary>Count floats from source[index].</summary>
    static abstract TSelf Load(ref float source, nuint index);

    /// <summary>Count ints from source[index], converted to float (exact below 2²⁴).</summary>
    static abstract TSelf LoadConverted(ref int source, nuint index);

    /// <summary>Count bytes from source[index], converted to float (exact).</summary>
    static abstract TSelf LoadConvertedBytes(ref byte source, nuint index);

    /// <summary>a[i] + b[i] of two int spans at index, converted to float.</summary>
    static abstract TSelf LoadSumConverted(ref int a, ref int b, nuint index);

    static abstract void Store(TSelf value, ref float destination, nuint index);

    static abstract TSelf operator +(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a, TSelf b);
    static abstract TSelf operator *(TSelf a, TSelf b);
    static abstract TSelf operator /(TSelf a, TSelf b);
    static abstract TSelf Max(TSelf a, TSelf b);
    static abstract TSelf Sqrt(TSelf a);
    static abstract TSelf Abs(TSelf a);

    /// <summary>Each lane rounded toward zero (for 0 ≤ a &lt; 2³¹ the float of (int)a).</summary>
    static abstract TSelf Truncate(TSelf a);

    /// <summary>Per lane a ≥ b ? ifTrue : ifFalse (false where either is NaN, as the scalar comparison).</summary>
    static abstract TSelf SelectAtLeast(TSelf a, TSelf b, TSelf ifTrue, TSelf ifFalse);
    /// <summary>Per lane, 0 where a &gt; limit, else a (a NaN lane, never greater, is kept): the scalar
    /// <c>if (a &gt; limit) a = 0</c>.</summary>
    static abstract TSelf ZeroAbove(TSelf a, TSelf limit);

    /// <summary>The first lane k with a[k] == value (IEEE equality: +0 equals −0, NaN equals nothing), or −1.</summary>
    static abstract int FirstEqual(TSelf a, TSelf value);

    /// <summary>The lanes in reverse order (lane k ← lane Count − 1 − k): a run read backwards, as a real input's
    /// spectrum pairs bin k with bin N − k. A permutation, so no value changes.</summary>
    static abstract TSelf Reverse(TSelf a);

    /// <summary>
    /// The first two steps of the tree fold of a 16-lane sum held in accumulators a0..a3 (lane k of the sum in
    /// accumulator k / Count, lane k mod Count; a width of 16 lanes uses a0 only, 8 lanes a0 and a1):
    /// lo[j] = l[j] + l[j+8] and hi[j] = l[j+4] + l[j+12] for j = 0..3. Done in registers per width, so a
    /// dot product ends in three vector adds (<see cref="Audio.DotProduct"/>); the one-lane type has no 16-lane
    /// form and throws.
    /// </summary>
    static abstract (System.Runtime.Intrinsics.Vector128<float> Lo, System.Runtime.Intrinsics.Vector128<float> Hi) FoldSixteen(TSelf a0, TSelf a1, TSelf a2, TSelf a3);
}
