using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels.Lanes;

/// <summary><see cref="IUInt16Lanes{TSelf, TWide}"/> over <see cref="Vector256{T}"/>, widening into
/// <see cref="UInt32Lanes256"/>.</summary>
public readonly struct UInt16Lanes256(Vector256<ushort> value) : IUInt16Lanes<UInt16Lanes256, UInt32Lanes256>
{
    private readonly Vector256<ushort> _v = value;

    public static int Count => Vector256<ushort>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt16Lanes256 Create(ushort value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (UInt16Lanes256 Lower, UInt16Lanes256 Upper) LoadWidened(ref byte source, nuint index)
    {
        (Vector256<ushort> lower, Vector256<ushort> upper) = Vector256.Widen(Vector256.LoadUnsafe(ref source, index));
        return (new(lower), new(upper));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt16Lanes256 Load(ref ushort source, nuint index) => new(Vector256.LoadUnsafe(ref source, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(UInt16Lanes256 value, ref ushort destination, nuint index) => value._v.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (UInt32Lanes256 Lower, UInt32Lanes256 Upper) Widen(UInt16Lanes256 value)
    {
        (Vector256<uint> lower, Vector256<uint> upper) = Vector256.Widen(value._v);
        return (new(lower), new(upper));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt16Lanes256 operator +(UInt16Lanes256 a, UInt16Lanes256 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt16Lanes256 operator *(UInt16Lanes256 a, UInt16Lanes256 b) => new(a._v * b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt16Lanes256 PairSums(UInt16Lanes256 lower, UInt16Lanes256 upper)
    {
        Vector256<uint> l = lower._v.AsUInt32(), u = upper._v.AsUInt32(), low = Vector256.Create(0xFFFFu);
        return new(Vector256.Narrow((l & low) + Vector256.ShiftRightLogical(l, 16), (u & low) + Vector256.ShiftRightLogical(u, 16)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt16Lanes256 ShiftRight(UInt16Lanes256 value, int bits) => new(Vector256.ShiftRightLogical(value._v, bits));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreNarrowed(UInt16Lanes256 lower, UInt16Lanes256 upper, ref byte destination, nuint index) =>
        Vector256.Narrow(lower._v, upper._v).StoreUnsafe(ref destination, index);
}
