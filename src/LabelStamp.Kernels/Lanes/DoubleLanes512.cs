using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels.Lanes;

/// <summary><see cref="IDoubleLanes{TSelf}"/> over <see cref="Vector512{T}"/>.</summary>
public readonly struct DoubleLanes512(Vector512<double> value) : IDoubleLanes<DoubleLanes512>
{
    private readonly Vector512<double> _v = value;

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
        var magic = Vector512.Create(IDoubleLanes<DoubleLanes512>.CellMagic);
        var m = Vector512.Create((long)mask);
        Vector512<long> cu = (Vector512.Floor(u._v) + magic).AsInt64() & m, cv = (Vector512.Floor(v._v) + magic).AsInt64() & m;
        Vector512.Narrow(Vector512.ShiftLeft(cv, shift) | cu, Vector512<long>.Zero).GetLower().StoreUnsafe(ref destination, index);
    }
}
