using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels.Lanes;

/// <summary><see cref="IDoubleLanes{TSelf}"/> over <see cref="Vector512{T}"/>.</summary>
public readonly struct DoubleLanes512(Vector512<double> value) : IDoubleLanes<DoubleLanes512>
{
    private readonly Vector512<double> _v = value;

    /// <summary>2⁵² + 2⁵¹: added to an integer-valued double of magnitude under 2⁵¹ it puts that integer in the low mantissa bits.</summary>
    private const double CellMagic = 6755399441055744.0;

    public static int Count => Vector512<double>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes512 Create(double value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes512 Load(ref double source, nuint index) => new(Vector512.LoadUnsafe(ref source, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes512 operator +(DoubleLanes512 a, DoubleLanes512 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes512 LoadWidened(ref float source, nuint index)
    {
        var v = Vector256.LoadUnsafe(ref source, index);
        return new(Vector512.Create(Vector256.WidenLower(v), Vector256.WidenUpper(v)));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LaneTotal(DoubleLanes512 a)
    {
        double t = a._v.GetElement(0);
        for (int k = 1; k < Vector512<double>.Count; k++) t += a._v.GetElement(k);
        return t;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreCells(DoubleLanes512 u, DoubleLanes512 v, int mask, int shift, ref int destination, nuint index)
    {
        // ⌊x⌋ is an integer-valued double under 2³⁰ in magnitude (checked by the caller), so adding 2⁵² + 2⁵¹ is exact and
        // leaves ⌊x⌋ mod 2³² in the low bits of the sum's mantissa, two's complement: its low bits are the int cast's. A plain
        // add instead of a conversion to 64-bit integers, which has no instruction below AVX-512 (measured: the emulated
        // conversion was most of the fold's index arithmetic on an AVX2 machine).
        var magic = Vector512.Create(CellMagic);
        var m = Vector512.Create((long)mask);
        Vector512<long> cu = (Vector512.Floor(u._v) + magic).AsInt64() & m, cv = (Vector512.Floor(v._v) + magic).AsInt64() & m;
        Vector512.Narrow(Vector512.ShiftLeft(cv, shift) | cu, Vector512<long>.Zero).GetLower().StoreUnsafe(ref destination, index);
    }
}
