using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels.Lanes;

/// <summary><see cref="IUInt32Lanes{TSelf}"/> over <see cref="Vector128{T}"/>.</summary>
public readonly struct UInt32Lanes128(Vector128<uint> value) : IUInt32Lanes<UInt32Lanes128>
{
    private readonly Vector128<uint> _v = value;

    public static int Count => Vector128<uint>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt32Lanes128 Load(ref uint source, nuint index) => new(Vector128.LoadUnsafe(ref source, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(UInt32Lanes128 value, ref uint destination, nuint index) => value._v.StoreUnsafe(ref destination, index);
    public static UInt32Lanes128 operator +(UInt32Lanes128 a, UInt32Lanes128 b) => new(a._v + b._v);
}
