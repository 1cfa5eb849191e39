namespace LabelStamp.Kernels.Lanes;

/// <summary>
/// A vector of double lanes of one width with what the fold's cell indices need (<see cref="FoldCells"/>): the
/// running sum of a sample position and its conversion to a cell of the P × P tile. Written once as a generic body,
/// run at every width and on one lane (<see cref="DoubleLanes1"/>). Each add is the IEEE double add of the scalar
/// loop, and the floor and its conversion to an integer are exact for positions under 2³⁰ in magnitude (the kernel
/// checks), so every width gives the one-lane result to the bit.
/// </summary>
public interface IDoubleLanes<TSelf> where TSelf : struct, IDoubleLanes<TSelf>
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    static abstract TSelf Create(double value);

    /// <summary>Count doubles from source[index].</summary>
    static abstract TSelf Load(ref double source, nuint index);

    static abstract TSelf operator +(TSelf a, TSelf b);

    /// <summary>Count floats from source[index], each widened to double (exact).</summary>
    static abstract TSelf LoadWidened(ref float source, nuint index);

    /// <summary>The lanes added in lane order, lane 0 first.</summary>
    static abstract double LaneTotal(TSelf a);

    /// <summary>destination[index + k] = ((int)⌊v_k⌋ &amp; mask) &lt;&lt; shift | ((int)⌊u_k⌋ &amp; mask) for each lane k: the
    /// cell (⌊v⌋ mod P, ⌊u⌋ mod P) of a P × P tile, P = mask + 1 = 2^shift. The vector widths take ⌊x⌋'s integer by adding
    /// <see cref="CellMagic"/>, not by a conversion to 64-bit integers, which has no instruction below AVX-512 (emulated
    /// lane by lane, it was most of the fold's index arithmetic on an AVX2 machine: bench/WATERMARK.md, twenty-sixth step).</summary>
    static abstract void StoreCells(TSelf u, TSelf v, int mask, int shift, ref int destination, nuint index);

    /// <summary>2⁵² + 2⁵¹. ⌊x⌋ is an integer-valued double under 2³⁰ in magnitude (the caller checks), so ⌊x⌋ + 2⁵² + 2⁵¹ is
    /// exact and holds ⌊x⌋ mod 2³² in the low bits of its mantissa, two's complement: the low bits of the int cast.</summary>
    public const double CellMagic = 6755399441055744.0;
}
