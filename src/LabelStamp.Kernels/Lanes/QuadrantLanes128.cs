using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LabelStamp.Kernels.Lanes;

/// <summary><see cref="IQuadrantLanes{TSelf}"/> over one <see cref="Vector128{T}"/> block (SSSE3: pshufb, pmaddubsw, phaddd).</summary>
public readonly struct QuadrantLanes128(Vector128<byte> value) : IQuadrantLanes<QuadrantLanes128>
{
    private readonly Vector128<byte> _v = value;

    public static bool IsSupported => Ssse3.IsSupported;
    public static int Blocks => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static QuadrantLanes128 Load(ref byte source, nuint index, nuint blockStep) => new(Vector128.LoadUnsafe(ref source, index));

    public static QuadrantLanes128 Pattern(ReadOnlySpan<byte> pattern) => new(Vector128.Create(pattern));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static QuadrantLanes128 Shuffle(QuadrantLanes128 value, QuadrantLanes128 pattern) => new(Ssse3.Shuffle(value._v, pattern._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (QuadrantLanes128 C0, QuadrantLanes128 C1, QuadrantLanes128 C2, QuadrantLanes128 C3) Transpose(
        QuadrantLanes128 g0, QuadrantLanes128 g1, QuadrantLanes128 g2, QuadrantLanes128 g3)
    {
        Vector128<ulong> t0 = Sse2.UnpackLow(g0._v.AsUInt32(), g1._v.AsUInt32()).AsUInt64(), t1 = Sse2.UnpackLow(g2._v.AsUInt32(), g3._v.AsUInt32()).AsUInt64();
        Vector128<ulong> t2 = Sse2.UnpackHigh(g0._v.AsUInt32(), g1._v.AsUInt32()).AsUInt64(), t3 = Sse2.UnpackHigh(g2._v.AsUInt32(), g3._v.AsUInt32()).AsUInt64();
        return (new(Sse2.UnpackLow(t0, t1).AsByte()), new(Sse2.UnpackHigh(t0, t1).AsByte()),
            new(Sse2.UnpackLow(t2, t3).AsByte()), new(Sse2.UnpackHigh(t2, t3).AsByte()));
    }

    /// <summary>pmaddubsw by ones adds byte pairs into 16 bits (≤ 510, no saturation), pmaddwd by ones the pairs into 32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static QuadrantLanes128 GroupSums(QuadrantLanes128 first, QuadrantLanes128 second)
    {
        Vector128<sbyte> one = Vector128.Create((sbyte)1);
        Vector128<short> pairs = Ssse3.MultiplyAddAdjacent(first._v, one) + Ssse3.MultiplyAddAdjacent(second._v, one);
        return new(Sse2.MultiplyAddAdjacent(pairs, Vector128.Create((short)1)).AsByte());
    }

    /// <summary>Bytes widened to 16 bits, squared and pair-added into 32 bits by pmaddwd (≤ 130,050 per pair), the
    /// pairs of each group added by phaddd.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static QuadrantLanes128 GroupSquares(QuadrantLanes128 first, QuadrantLanes128 second)
    {
        Vector128<byte> zero = Vector128<byte>.Zero;
        Vector128<short> a0 = Sse2.UnpackLow(first._v, zero).AsInt16(), a1 = Sse2.UnpackHigh(first._v, zero).AsInt16();
        Vector128<short> b0 = Sse2.UnpackLow(second._v, zero).AsInt16(), b1 = Sse2.UnpackHigh(second._v, zero).AsInt16();
        Vector128<int> low = Sse2.MultiplyAddAdjacent(a0, a0) + Sse2.MultiplyAddAdjacent(b0, b0);
        Vector128<int> high = Sse2.MultiplyAddAdjacent(a1, a1) + Sse2.MultiplyAddAdjacent(b1, b1);
        return new(Ssse3.HorizontalAdd(low, high).AsByte());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(QuadrantLanes128 value, ref int destination, nuint index) => value._v.AsInt32().StoreUnsafe(ref destination, index);
}
