namespace LabelStamp.Kernels.Lanes;

/// <summary>
/// A vector of uint lanes of one width: the wide accumulators of an integer kernel (sums of squares of
/// bytes), produced by <see cref="IUInt16Lanes{TSelf, TWide}.Widen"/>. Integer arithmetic, so every
/// width gives the scalar result exactly.
/// </summary>
public interface IUInt32Lanes<TSelf> where TSelf : struct, IUInt32Lanes<TSelf>
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    static abstract TSelf Load(ref uint source, nuint index);
    static abstract void Store(TSelf value, ref uint destination, nuint index);
    static abstract TSelf operator +(TSelf a, TSelf b);
}
