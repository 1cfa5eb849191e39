using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels.Lanes;

/// <summary><see cref="IDoubleLanes{TSelf}"/> over <see cref="Vector128{T}"/>.</summary>
public readonly struct DoubleLanes128(Vector128<double> value) : IDoubleLanes<DoubleLanes128>
{
    private readonly Vector128<double> _v = value;

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
        var magic = Vector128.Create(IDoubleLanes<DoubleLanes128>.CellMagic);
        var m = Vector128.Create((long)mask);
        Vector128<long> cu = (Vector128.Floor(u._v) + magic).AsInt64() & m, cv = (Vector128.Floor(v._v) + magic).AsInt64() & m;
        Vector128.Narrow(Vector128.ShiftLeft(cv, shift) | cu, Vector128<long>.Zero).GetLower().StoreUnsafe(ref destination, index);
    }
}
