using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels.Lanes;

/// <summary><see cref="IUInt32Lanes{TSelf}"/> over <see cref="Vector512{T}"/>.</summary>
public readonly struct UInt32Lanes512(Vector512<uint> value) : IUInt32Lanes<UInt32Lanes512>
{
    private readonly Vector512<uint> _v = value;

    public static int Count => Vector512<uint>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt32Lanes512 Load(ref uint source, nuint index) => new(Vector512.LoadUnsafe(ref source, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(UInt32Lanes512 value, ref uint destination, nuint index) => value._v.StoreUnsafe(ref destination, index);
    public static UInt32Lanes512 operator +(UInt32Lanes512 a, UInt32Lanes512 b) => new(a._v + b._v);
}
