using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LabelStamp.Kernels.Lanes;

/// <summary><see cref="IQuadrantLanes{TSelf}"/> over <see cref="Vector256{T}"/>: two blocks, each loaded from its own
/// address (AVX2; every instruction used works inside 128-bit lanes).</summary>
public readonly struct QuadrantLanes256(Vector256<byte> value) : IQuadrantLanes<QuadrantLanes256>
{
    private readonly Vector256<byte> _v = value;

    public static bool IsSupported => Avx2.IsSupported;
    public static int Blocks => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static QuadrantLanes256 Load(ref byte source, nuint index, nuint blockStep) =>
        new(Vector256.Create(Vector128.LoadUnsafe(ref source, index), Vector128.LoadUnsafe(ref source, index + blockStep)));

    public static QuadrantLanes256 Pattern(ReadOnlySpan<byte> pattern)
    {
        Vector128<byte> p = Vector128.Create(pattern);
        return new(Vector256.Create(p, p));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static QuadrantLanes256 Shuffle(QuadrantLanes256 value, QuadrantLanes256 pattern) => new(Avx2.Shuffle(value._v, pattern._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (QuadrantLanes256 C0, QuadrantLanes256 C1, QuadrantLanes256 C2, QuadrantLanes256 C3) Transpose(
        QuadrantLanes256 g0, QuadrantLanes256 g1, QuadrantLanes256 g2, QuadrantLanes256 g3)
    {
        Vector256<ulong> t0 = Avx2.UnpackLow(g0._v.AsUInt32(), g1._v.AsUInt32()).AsUInt64(), t1 = Avx2.UnpackLow(g2._v.AsUInt32(), g3._v.AsUInt32()).AsUInt64();
        Vector256<ulong> t2 = Avx2.UnpackHigh(g0._v.AsUInt32(), g1._v.AsUInt32()).AsUInt64(), t3 = Avx2.UnpackHigh(g2._v.AsUInt32(), g3._v.AsUInt32()).AsUInt64();
        return (new(Avx2.UnpackLow(t0, t1).AsByte()), new(Avx2.UnpackHigh(t0, t1).AsByte()),
            new(Avx2.UnpackLow(t2, t3).AsByte()), new(Avx2.UnpackHigh(t2, t3).AsByte()));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static QuadrantLanes256 GroupSums(QuadrantLanes256 first, QuadrantLanes256 second)
    {
        Vector256<sbyte> one = Vector256.Create((sbyte)1);
        Vector256<short> pairs = Avx2.MultiplyAddAdjacent(first._v, one) + Avx2.MultiplyAddAdjacent(second._v, one);
        return new(Avx2.MultiplyAddAdjacent(pairs, Vector256.Create((short)1)).AsByte());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static QuadrantLanes256 GroupSquares(QuadrantLanes256 first, QuadrantLanes256 second)
    {
        Vector256<byte> zero = Vector256<byte>.Zero;
        Vector256<short> a0 = Avx2.UnpackLow(first._v, zero).AsInt16(), a1 = Avx2.UnpackHigh(first._v, zero).AsInt16();
        Vector256<short> b0 = Avx2.UnpackLow(second._v, zero).AsInt16(), b1 = Avx2.UnpackHigh(second._v, zero).AsInt16();
        Vector256<int> low = Avx2.MultiplyAddAdjacent(a0, a0) + Avx2.MultiplyAddAdjacent(b0, b0);
        Vector256<int> high = Avx2.MultiplyAddAdjacent(a1, a1) + Avx2.MultiplyAddAdjacent(b1, b1);
        return new(Avx2.HorizontalAdd(low, high).AsByte());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(QuadrantLanes256 value, ref int destination, nuint index) => value._v.AsInt32().StoreUnsafe(ref destination, index);
}
