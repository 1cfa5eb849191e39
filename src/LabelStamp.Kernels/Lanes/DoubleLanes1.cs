using System.Runtime.CompilerServices;

namespace LabelStamp.Kernels.Lanes;

/// <summary><see cref="IDoubleLanes{TSelf}"/> on one double: the scalar path and the reference of the vector widths.</summary>
public readonly struct DoubleLanes1(double value) : IDoubleLanes<DoubleLanes1>
{
    private readonly double _v = value;

    public static int Count => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes1 Create(double value) => new(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes1 Load(ref double source, nuint index) => new(Unsafe.Add(ref source, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes1 operator +(DoubleLanes1 a, DoubleLanes1 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes1 LoadWidened(ref float source, nuint index) => new(Unsafe.Add(ref source, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LaneTotal(DoubleLanes1 a) => a._v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreCells(DoubleLanes1 u, DoubleLanes1 v, int mask, int shift, ref int destination, nuint index) =>
        Unsafe.Add(ref destination, index) = (((int)Math.Floor(v._v)) & mask) << shift | (((int)Math.Floor(u._v)) & mask);
}
