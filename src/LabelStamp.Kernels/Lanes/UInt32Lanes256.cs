using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels.Lanes;

/// <summary><see cref="IUInt32Lanes{TSelf}"/> over <see cref="Vector256{T}"/>.</summary>
public readonly struct UInt32Lanes256(Vector256<uint> value) : IUInt32Lanes<UInt32Lanes256>
{
    private readonly Vector256<uint> _v = value;

    public static int Count => Vector256<uint>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt32Lanes256 Load(ref uint source, nuint index) => new(Vector256.LoadUnsafe(ref source, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(UInt32Lanes256 value, ref uint destination, nuint index) => value._v.StoreUnsafe(ref destination, index);
    public static UInt32Lanes256 operator +(UInt32Lanes256 a, UInt32Lanes256 b) => new(a._v + b._v);
}
