namespace LabelStamp.Kernels.Lanes;

/// <summary>
/// A vector of float lanes of one width, with the arithmetic a kernel needs, so that a kernel's body is
/// written once as a generic method over TLanes and runs at every width (<see cref="Lanes128"/>,
/// <see cref="Lanes256"/>, <see cref="Lanes512"/>) and on one lane (<see cref="Lanes1"/>) for ragged
/// tails. The JIT specialises a generic method per struct type argument, so each width compiles to its
/// own straight vector code. Every operation is IEEE-exact per lane (no fused multiply-add), so all
/// widths give the scalar result to the bit when the body's order of operations matches it.
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
}
