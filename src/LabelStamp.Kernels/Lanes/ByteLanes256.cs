using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LabelStamp.Kernels.Lanes;

/// <summary><see cref="IByteLanes{TSelf}"/> over <see cref="Vector256{T}"/>.</summary>
public readonly struct ByteLanes256(Vector256<byte> value) : IByteLanes<ByteLanes256>
{
    private readonly Vector256<byte> _v = value;

    public static int Count => Vector256<byte>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ByteLanes256 Create(byte value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ByteLanes256 Load(ref byte source, nuint index) => new(Vector256.LoadUnsafe(ref source, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ByteLanes256 EqualMask(ByteLanes256 a, ByteLanes256 b) => new(Vector256.Equals(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ByteLanes256 Max(ByteLanes256 a, ByteLanes256 b) => new(Vector256.Max(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyAtLeast(ByteLanes256 value, byte level) => Vector256.GreaterThanOrEqualAny(value._v, Vector256.Create(level));

    /// <summary>One psadbw against zero where Avx2 has it: the sum of absolute differences of each 8-byte group from zero
    /// is its byte sum, in the group's low 16 bits, where the shift-and-add below takes seven instructions and the headroom
    /// count takes sixteen group sums per vector (measured: a 1 MP text page's count 1.68 → 1.34 ms, one process each;
    /// bench/WATERMARK.md, sixteenth step). Elsewhere shift-and-add inside each ulong lane: after adding the lane
    /// shifted by 32, 16 and 8 bits its low byte holds the sum of its eight bytes (no carry leaves a byte while the sum
    /// is ≤ 255). Both give the same lanes while the sum is ≤ 255, as the contract asks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ByteLanes256 GroupSums(ByteLanes256 value)
    {
        if (Avx2.IsSupported) return new(Avx2.SumAbsoluteDifferences(value._v, Vector256<byte>.Zero).AsByte());
        Vector256<ulong> s = value._v.AsUInt64();
        s += s >>> 32;
        s += s >>> 16;
        s += s >>> 8;
        return new((s & Vector256.Create(0xFFUL)).AsByte());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ByteLanes256 ShiftGroups(ByteLanes256 value, int bytes) => new((value._v.AsUInt64() << (8 * bytes)).AsByte());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreGroups(ByteLanes256 value, ref ulong destination, nuint index) => value._v.AsUInt64().StoreUnsafe(ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ByteLanes256 operator |(ByteLanes256 a, ByteLanes256 b) => new(a._v | b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ByteLanes256 operator &(ByteLanes256 a, ByteLanes256 b) => new(a._v & b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ByteLanes256 operator +(ByteLanes256 a, ByteLanes256 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ByteLanes256 operator -(ByteLanes256 a, ByteLanes256 b) => new(a._v - b._v);
}
