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
}
