using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LabelStamp.Kernels.Lanes;

/// <summary><see cref="IByteLanes{TSelf}"/> over <see cref="Vector512{T}"/>.</summary>
public readonly struct ByteLanes512(Vector512<byte> value) : IByteLanes<ByteLanes512>
{
    private readonly Vector512<byte> _v = value;

    public static int Count => Vector512<byte>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ByteLanes512 Create(byte value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ByteLanes512 Load(ref byte source, nuint index) => new(Vector512.LoadUnsafe(ref source, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ByteLanes512 EqualMask(ByteLanes512 a, ByteLanes512 b) => new(Vector512.Equals(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ByteLanes512 Max(ByteLanes512 a, ByteLanes512 b) => new(Vector512.Max(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyAtLeast(ByteLanes512 value, byte level) => Vector512.GreaterThanOrEqualAny(value._v, Vector512.Create(level));

    /// <summary>One psadbw against zero where Avx512BW has it: the sum of absolute differences of each 8-byte group from zero
    /// is its byte sum, in the group's low 16 bits, where the shift-and-add below takes seven instructions and the headroom
    /// count takes sixteen group sums per vector (measured: a 1 MP text page's count 1.68 → 1.34 ms, one process each;
    /// bench/WATERMARK.md, sixteenth step). Elsewhere shift-and-add inside each ulong lane: after adding the lane
    /// shifted by 32, 16 and 8 bits its low byte holds the sum of its eight bytes (no carry leaves a byte while the sum
    /// is ≤ 255). Both give the same lanes while the sum is ≤ 255, as the contract asks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ByteLanes512 GroupSums(ByteLanes512 value)
    {
        if (Avx512BW.IsSupported) return new(Avx512BW.SumAbsoluteDifferences(value._v, Vector512<byte>.Zero).AsByte());
        Vector512<ulong> s = value._v.AsUInt64();
        s += s >>> 32;
        s += s >>> 16;
        s += s >>> 8;
        return new((s & Vector512.Create(0xFFUL)).AsByte());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ByteLanes512 ShiftGroups(ByteLanes512 value, int bytes) => new((value._v.AsUInt64() << (8 * bytes)).AsByte());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreGroups(ByteLanes512 value, ref ulong destination, nuint index) => value._v.AsUInt64().StoreUnsafe(ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ByteLanes512 operator |(ByteLanes512 a, ByteLanes512 b) => new(a._v | b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ByteLanes512 operator &(ByteLanes512 a, ByteLanes512 b) => new(a._v & b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ByteLanes512 operator +(ByteLanes512 a, ByteLanes512 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ByteLanes512 operator -(ByteLanes512 a, ByteLanes512 b) => new(a._v - b._v);
}
