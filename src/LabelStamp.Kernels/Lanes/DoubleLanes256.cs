using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels.Lanes;

/// <summary><see cref="IDoubleLanes{TSelf}"/> over <see cref="Vector256{T}"/>.</summary>
public readonly struct DoubleLanes256(Vector256<double> value) : IDoubleLanes<DoubleLanes256>
{
    private readonly Vector256<double> _v = value;

    public static int Count => Vector256<double>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes256 Create(double value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes256 Load(ref double source, nuint index) => new(Vector256.LoadUnsafe(ref source, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes256 operator +(DoubleLanes256 a, DoubleLanes256 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes256 LoadWidened(ref float source, nuint index)
    {
        var v = Vector128.LoadUnsafe(ref source, index);
        return new(Vector256.Create(Vector128.WidenLower(v), Vector128.WidenUpper(v)));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LaneTotal(DoubleLanes256 a)
    {
        double t = a._v.GetElement(0);
        for (int k = 1; k < Vector256<double>.Count; k++) t += a._v.GetElement(k);
        return t;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreCells(DoubleLanes256 u, DoubleLanes256 v, int mask, int shift, ref int destination, nuint index)
    {
        var magic = Vector256.Create(IDoubleLanes<DoubleLanes256>.CellMagic);
        var m = Vector256.Create((long)mask);
        Vector256<long> cu = (Vector256.Floor(u._v) + magic).AsInt64() & m, cv = (Vector256.Floor(v._v) + magic).AsInt64() & m;
        Vector256.Narrow(Vector256.ShiftLeft(cv, shift) | cu, Vector256<long>.Zero).GetLower().StoreUnsafe(ref destination, index);
    }
}
