using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels.Lanes;

/// <summary><see cref="IDoubleLanes{TSelf}"/> over <see cref="Vector128{T}"/>.</summary>
public readonly struct DoubleLanes128(Vector128<double> value) : IDoubleLanes<DoubleLanes128>
{
    private readonly Vector128<double> _v = value;

    /// <summary>2⁵² + 2⁵¹: added to an integer-valued double of magnitude under 2⁵¹ it puts that integer in the low mantissa bits.</summary>
    private const double CellMagic = 6755399441055744.0;

    public static int Count => Vector128<double>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes128 Create(double value) => new(Vector128.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes128 Load(ref double source, nuint index) => new(Vector128.LoadUnsafe(ref source, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes128 operator +(DoubleLanes128 a, DoubleLanes128 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes128 LoadWidened(ref float source, nuint index) =>
        new(Vector128.Create((double)Unsafe.Add(ref source, index), Unsafe.Add(ref source, index + 1)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LaneTotal(DoubleLanes128 a) => a._v.GetElement(0) + a._v.GetElement(1);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreCells(DoubleLanes128 u, DoubleLanes128 v, int mask, int shift, ref int destination, nuint index)
    {
        // ⌊x⌋ is an integer-valued double under 2³⁰ in magnitude (checked by the caller), so adding 2⁵² + 2⁵¹ is exact and
        // leaves ⌊x⌋ mod 2³² in the low bits of the sum's mantissa, two's complement: its low bits are the int cast's. A plain
        // add instead of a conversion to 64-bit integers, which has no instruction below AVX-512 (measured: the emulated
        // conversion was most of the fold's index arithmetic on an AVX2 machine).
        var magic = Vector128.Create(CellMagic);
        var m = Vector128.Create((long)mask);
        Vector128<long> cu = (Vector128.Floor(u._v) + magic).AsInt64() & m, cv = (Vector128.Floor(v._v) + magic).AsInt64() & m;
        Vector128.Narrow(Vector128.ShiftLeft(cv, shift) | cu, Vector128<long>.Zero).GetLower().StoreUnsafe(ref destination, index);
    }
}
