namespace LabelStamp.Kernels.Lanes;

/// <summary>
/// A vector of byte lanes of one width, with what a byte-counting kernel needs (<see cref="HeadroomClasses"/>):
/// masks, wrapping add and subtract, equality as an all-ones lane, an "any lane at least" test, and per 8-byte
/// group (a ulong lane) its sum, a shift and a store. Written once over TSelf, a kernel runs at every width
/// (<see cref="ByteLanes128"/>, <see cref="ByteLanes256"/>, <see cref="ByteLanes512"/>); integer arithmetic, so
/// every width gives the scalar result exactly.
/// </summary>
public interface IByteLanes<TSelf> where TSelf : struct, IByteLanes<TSelf>
{
    /// <summary>Lanes per vector (a multiple of 8).</summary>
    static abstract int Count { get; }

    static abstract TSelf Create(byte value);
    static abstract TSelf Load(ref byte source, nuint index);

    /// <summary>0xFF where a[i] == b[i], else 0.</summary>
    static abstract TSelf EqualMask(TSelf a, TSelf b);

    /// <summary>The lane-wise unsigned maximum.</summary>
    static abstract TSelf Max(TSelf a, TSelf b);

    /// <summary>Whether any lane is ≥ <paramref name="level"/> (unsigned).</summary>
    static abstract bool AnyAtLeast(TSelf value, byte level);

    /// <summary>The sum of each 8-byte group (lanes 8g … 8g + 7, which must add up to ≤ 255) in the group's first
    /// lane, its other seven lanes 0.</summary>
    static abstract TSelf GroupSums(TSelf value);

    /// <summary>Each 8-byte group, read as a little-endian ulong, shifted left by <paramref name="bytes"/> bytes
    /// (bytes move to later lanes of the group, zeros come in).</summary>
    static abstract TSelf ShiftGroups(TSelf value, int bytes);

    /// <summary>The vector as Count / 8 ulongs (one per 8-byte group) at destination[index].</summary>
    static abstract void StoreGroups(TSelf value, ref ulong destination, nuint index);

    static abstract TSelf operator |(TSelf a, TSelf b);
    static abstract TSelf operator &(TSelf a, TSelf b);
    static abstract TSelf operator +(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a, TSelf b);
}
