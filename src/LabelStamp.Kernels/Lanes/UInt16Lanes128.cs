using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels.Lanes;

/// <summary><see cref="IUInt16Lanes{TSelf, TWide}"/> over <see cref="Vector128{T}"/>, widening into
/// <see cref="UInt32Lanes128"/>.</summary>
public readonly struct UInt16Lanes128(Vector128<ushort> value) : IUInt16Lanes<UInt16Lanes128, UInt32Lanes128>
{
    private readonly Vector128<ushort> _v = value;

    public static int Count => Vector128<ushort>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt16Lanes128 Create(ushort value) => new(Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (UInt16Lanes128 Lower, UInt16Lanes128 Upper) LoadWidened(ref byte source, nuint index)
    {
        (Vector128<ushort> lower, Vector128<ushort> upper) = Vector128.Widen(Vector128.LoadUnsafe(ref source, index));
        return (new(lower), new(upper));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt16Lanes128 Load(ref ushort source, nuint index) => new(Vector128.LoadUnsafe(ref source, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(UInt16Lanes128 value, ref ushort destination, nuint index) => value._v.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (UInt32Lanes128 Lower, UInt32Lanes128 Upper) Widen(UInt16Lanes128 value)
    {
        (Vector128<uint> lower, Vector128<uint> upper) = Vector128.Widen(value._v);
        return (new(lower), new(upper));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt16Lanes128 operator +(UInt16Lanes128 a, UInt16Lanes128 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt16Lanes128 operator *(UInt16Lanes128 a, UInt16Lanes128 b) => new(a._v * b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt16Lanes128 PairSums(UInt16Lanes128 lower, UInt16Lanes128 upper)
    {
        Vector128<uint> l = lower._v.AsUInt32(), u = upper._v.AsUInt32(), low = Vector128.Create(0xFFFFu);
        return new(Vector128.Narrow((l & low) + Vector128.ShiftRightLogical(l, 16), (u & low) + Vector128.ShiftRightLogical(u, 16)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt16Lanes128 ShiftRight(UInt16Lanes128 value, int bits) => new(Vector128.ShiftRightLogical(value._v, bits));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreNarrowed(UInt16Lanes128 lower, UInt16Lanes128 upper, ref byte destination, nuint index) =>
        Vector128.Narrow(lower._v, upper._v).StoreUnsafe(ref destination, index);
}
