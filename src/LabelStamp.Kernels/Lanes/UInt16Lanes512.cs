using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels.Lanes;

/// <summary><see cref="IUInt16Lanes{TSelf, TWide}"/> over <see cref="Vector512{T}"/>, widening into
/// <see cref="UInt32Lanes512"/>.</summary>
public readonly struct UInt16Lanes512(Vector512<ushort> value) : IUInt16Lanes<UInt16Lanes512, UInt32Lanes512>
{
    private readonly Vector512<ushort> _v = value;

    public static int Count => Vector512<ushort>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt16Lanes512 Create(ushort value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (UInt16Lanes512 Lower, UInt16Lanes512 Upper) LoadWidened(ref byte source, nuint index)
    {
        (Vector512<ushort> lower, Vector512<ushort> upper) = Vector512.Widen(Vector512.LoadUnsafe(ref source, index));
        return (new(lower), new(upper));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt16Lanes512 Load(ref ushort source, nuint index) => new(Vector512.LoadUnsafe(ref source, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(UInt16Lanes512 value, ref ushort destination, nuint index) => value._v.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (UInt32Lanes512 Lower, UInt32Lanes512 Upper) Widen(UInt16Lanes512 value)
    {
        (Vector512<uint> lower, Vector512<uint> upper) = Vector512.Widen(value._v);
        return (new(lower), new(upper));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt16Lanes512 operator +(UInt16Lanes512 a, UInt16Lanes512 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt16Lanes512 operator *(UInt16Lanes512 a, UInt16Lanes512 b) => new(a._v * b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt16Lanes512 PairSums(UInt16Lanes512 lower, UInt16Lanes512 upper)
    {
        Vector512<uint> l = lower._v.AsUInt32(), u = upper._v.AsUInt32(), low = Vector512.Create(0xFFFFu);
        return new(Vector512.Narrow((l & low) + Vector512.ShiftRightLogical(l, 16), (u & low) + Vector512.ShiftRightLogical(u, 16)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt16Lanes512 ShiftRight(UInt16Lanes512 value, int bits) => new(Vector512.ShiftRightLogical(value._v, bits));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreNarrowed(UInt16Lanes512 lower, UInt16Lanes512 upper, ref byte destination, nuint index) =>
        Vector512.Narrow(lower._v, upper._v).StoreUnsafe(ref destination, index);
}
