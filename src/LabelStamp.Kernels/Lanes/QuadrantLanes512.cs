using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LabelStamp.Kernels.Lanes;

/// <summary><see cref="IQuadrantLanes{TSelf}"/> over <see cref="Vector512{T}"/>: four blocks, each loaded from its own
/// address (AVX-512 BW). There is no 512-bit phaddd: each group's two 32-bit pair sums are added as the halves of a
/// 64-bit lane and the low halves picked by shufps.</summary>
public readonly struct QuadrantLanes512(Vector512<byte> value) : IQuadrantLanes<QuadrantLanes512>
{
    private readonly Vector512<byte> _v = value;

    public static bool IsSupported => Avx512BW.IsSupported;
    public static int Blocks => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static QuadrantLanes512 Load(ref byte source, nuint index, nuint blockStep) =>
        new(Vector512.Create(
            Vector256.Create(Vector128.LoadUnsafe(ref source, index), Vector128.LoadUnsafe(ref source, index + blockStep)),
            Vector256.Create(Vector128.LoadUnsafe(ref source, index + 2 * blockStep), Vector128.LoadUnsafe(ref source, index + 3 * blockStep))));

    public static QuadrantLanes512 Pattern(ReadOnlySpan<byte> pattern)
    {
        Vector128<byte> p = Vector128.Create(pattern);
        return new(Vector512.Create(Vector256.Create(p, p), Vector256.Create(p, p)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static QuadrantLanes512 Shuffle(QuadrantLanes512 value, QuadrantLanes512 pattern) => new(Avx512BW.Shuffle(value._v, pattern._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (QuadrantLanes512 C0, QuadrantLanes512 C1, QuadrantLanes512 C2, QuadrantLanes512 C3) Transpose(
        QuadrantLanes512 g0, QuadrantLanes512 g1, QuadrantLanes512 g2, QuadrantLanes512 g3)
    {
        Vector512<ulong> t0 = Avx512F.UnpackLow(g0._v.AsUInt32(), g1._v.AsUInt32()).AsUInt64(), t1 = Avx512F.UnpackLow(g2._v.AsUInt32(), g3._v.AsUInt32()).AsUInt64();
        Vector512<ulong> t2 = Avx512F.UnpackHigh(g0._v.AsUInt32(), g1._v.AsUInt32()).AsUInt64(), t3 = Avx512F.UnpackHigh(g2._v.AsUInt32(), g3._v.AsUInt32()).AsUInt64();
        return (new(Avx512F.UnpackLow(t0, t1).AsByte()), new(Avx512F.UnpackHigh(t0, t1).AsByte()),
            new(Avx512F.UnpackLow(t2, t3).AsByte()), new(Avx512F.UnpackHigh(t2, t3).AsByte()));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static QuadrantLanes512 GroupSums(QuadrantLanes512 first, QuadrantLanes512 second)
    {
        Vector512<sbyte> one = Vector512.Create((sbyte)1);
        Vector512<short> pairs = Avx512BW.MultiplyAddAdjacent(first._v, one) + Avx512BW.MultiplyAddAdjacent(second._v, one);
        return new(Avx512BW.MultiplyAddAdjacent(pairs, Vector512.Create((short)1)).AsByte());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static QuadrantLanes512 GroupSquares(QuadrantLanes512 first, QuadrantLanes512 second)
    {
        Vector512<byte> zero = Vector512<byte>.Zero;
        Vector512<short> a0 = Avx512BW.UnpackLow(first._v, zero).AsInt16(), a1 = Avx512BW.UnpackHigh(first._v, zero).AsInt16();
        Vector512<short> b0 = Avx512BW.UnpackLow(second._v, zero).AsInt16(), b1 = Avx512BW.UnpackHigh(second._v, zero).AsInt16();
        Vector512<ulong> low = (Avx512BW.MultiplyAddAdjacent(a0, a0) + Avx512BW.MultiplyAddAdjacent(b0, b0)).AsUInt64();
        Vector512<ulong> high = (Avx512BW.MultiplyAddAdjacent(a1, a1) + Avx512BW.MultiplyAddAdjacent(b1, b1)).AsUInt64();
        // Sums ≤ 4 · 65,025 fit 32 bits, so adding the upper half into the lower never carries across.
        low += low >>> 32;
        high += high >>> 32;
        return new(Avx512F.Shuffle(low.AsSingle(), high.AsSingle(), 0b10_00_10_00).AsByte());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(QuadrantLanes512 value, ref int destination, nuint index) => value._v.AsInt32().StoreUnsafe(ref destination, index);
}
