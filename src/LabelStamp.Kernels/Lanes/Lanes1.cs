using System.Runtime.CompilerServices;

namespace LabelStamp.Kernels.Lanes;

/// <summary><see cref="IFloatLanes{TSelf}"/> over one float: a generic kernel body's ragged tail and
/// its path when hardware intrinsics are off.</summary>
public readonly struct Lanes1(float value) : IFloatLanes<Lanes1>
{
    private readonly float _v = value;

    /// <summary>The one lane, for a scalar caller of a generic operator.</summary>
    public float Value => _v;

    public static int Count => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 Create(float value) => new(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 Load(ref float source, nuint index) => new(Unsafe.Add(ref source, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 LoadConverted(ref int source, nuint index) => new(Unsafe.Add(ref source, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 LoadConvertedBytes(ref byte source, nuint index) =>
        new(Unsafe.Add(ref source, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 LoadSumConverted(ref int a, ref int b, nuint index) => new(Unsafe.Add(ref a, index) + Unsafe.Add(ref b, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lanes1 value, ref float destination, nuint index) => Unsafe.Add(ref destination, index) = value._v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 operator +(Lanes1 a, Lanes1 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 operator -(Lanes1 a, Lanes1 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 operator *(Lanes1 a, Lanes1 b) => new(a._v * b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 operator /(Lanes1 a, Lanes1 b) => new(a._v / b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 Max(Lanes1 a, Lanes1 b) => new(MathF.Max(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 Sqrt(Lanes1 a) => new(MathF.Sqrt(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 Abs(Lanes1 a) => new(MathF.Abs(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 Truncate(Lanes1 a) => new(MathF.Truncate(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 SelectAtLeast(Lanes1 a, Lanes1 b, Lanes1 ifTrue, Lanes1 ifFalse) => a._v >= b._v ? ifTrue : ifFalse;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 ZeroAbove(Lanes1 a, Lanes1 limit) => a._v > limit._v ? new(0f) : a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FirstEqual(Lanes1 a, Lanes1 value) => a._v == value._v ? 0 : -1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 Reverse(Lanes1 a) => a;
    public static (System.Runtime.Intrinsics.Vector128<float> Lo, System.Runtime.Intrinsics.Vector128<float> Hi) FoldSixteen(Lanes1 a0, Lanes1 a1, Lanes1 a2, Lanes1 a3) =>
        throw new NotSupportedException("One lane holds no 16-lane sum in four accumulators.");
}
