namespace LabelStamp.Kernels.Lanes;

/// <summary>
/// A vector of ushort lanes of one width, with the widening steps of a byte kernel: bytes in, two
/// ushort vectors out (<see cref="LoadWidened"/>), and ushort products out to two vectors of
/// <typeparamref name="TWide"/> (uint lanes of the same width), so that a kernel that widens bytes to
/// 16- and 32-bit sums (<see cref="ColumnMoments"/>) is written once over TSelf and TWide. Integer
/// arithmetic with results inside each lane's range (the caller's bound), so every width gives the
/// scalar result exactly.
/// </summary>
public interface IUInt16Lanes<TSelf, TWide>
    where TSelf : struct, IUInt16Lanes<TSelf, TWide>
    where TWide : struct, IUInt32Lanes<TWide>
{
    /// <summary>Lanes per vector; <see cref="LoadWidened"/> reads twice as many bytes.</summary>
    static abstract int Count { get; }

    /// <summary>Every lane <paramref name="value"/>.</summary>
    static abstract TSelf Create(ushort value);

    /// <summary>2 · Count bytes from source[index], zero-extended: the first Count in Lower.</summary>
    static abstract (TSelf Lower, TSelf Upper) LoadWidened(ref byte source, nuint index);

    static abstract TSelf Load(ref ushort source, nuint index);
    static abstract void Store(TSelf value, ref ushort destination, nuint index);

    /// <summary>The lanes zero-extended to uint: the first Count / 2 in Lower.</summary>
    static abstract (TWide Lower, TWide Upper) Widen(TSelf value);

    /// <summary>Adjacent lanes summed: lane k is lanes 2k and 2k + 1 of <paramref name="lower"/> for k &lt; Count / 2,
    /// then of <paramref name="upper"/> (each sum must fit a ushort: the caller's bound).</summary>
    static abstract TSelf PairSums(TSelf lower, TSelf upper);

    /// <summary>Each lane shifted right by <paramref name="bits"/>, zeros in.</summary>
    static abstract TSelf ShiftRight(TSelf value, int bits);

    /// <summary>2 · Count bytes to destination[index]: the lanes of <paramref name="lower"/> then of <paramref name="upper"/>,
    /// each cut to its low byte (the caller keeps them ≤ 255).</summary>
    static abstract void StoreNarrowed(TSelf lower, TSelf upper, ref byte destination, nuint index);

    static abstract TSelf operator +(TSelf a, TSelf b);
    static abstract TSelf operator *(TSelf a, TSelf b);
}
