using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels.Lanes;

/// <summary><see cref="IFloatLanes{TSelf}"/> over <see cref="Vector512{T}"/>.</summary>
public readonly struct Lanes512(Vector512<float> value) : IFloatLanes<Lanes512>
{
    private readonly Vector512<float> _v = value;

    public static int Count => Vector512<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Create(float value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Load(ref float source, nuint index) => new(Vector512.LoadUnsafe(ref source, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 LoadConverted(ref int source, nuint index) => new(Vector512.ConvertToSingle(Vector512.LoadUnsafe(ref source, index)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 LoadConvertedBytes(ref byte source, nuint index) =>
        new(Vector512.ConvertToSingle(Vector512.WidenLower(Vector256.WidenLower(Vector128.LoadUnsafe(ref source, index).ToVector256Unsafe()).ToVector512Unsafe()).AsInt32()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 LoadSumConverted(ref int a, ref int b, nuint index) =>
        new(Vector512.ConvertToSingle(Vector512.LoadUnsafe(ref a, index) + Vector512.LoadUnsafe(ref b, index)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lanes512 value, ref float destination, nuint index) => value._v.StoreUnsafe(ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator +(Lanes512 a, Lanes512 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator -(Lanes512 a, Lanes512 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator *(Lanes512 a, Lanes512 b) => new(a._v * b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator /(Lanes512 a, Lanes512 b) => new(a._v / b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Max(Lanes512 a, Lanes512 b) => new(Vector512.Max(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Sqrt(Lanes512 a) => new(Vector512.Sqrt(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Abs(Lanes512 a) => new(Vector512.Abs(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Truncate(Lanes512 a) => new(Vector512.Truncate(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 SelectAtLeast(Lanes512 a, Lanes512 b, Lanes512 ifTrue, Lanes512 ifFalse) =>
        new(Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(a._v, b._v), ifTrue._v, ifFalse._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 ZeroAbove(Lanes512 a, Lanes512 limit) =>
        new(Vector512.ConditionalSelect(Vector512.GreaterThan(a._v, limit._v), Vector512<float>.Zero, a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FirstEqual(Lanes512 a, Lanes512 value)
    {
        ulong bits = Vector512.Equals(a._v, value._v).ExtractMostSignificantBits();
        return bits == 0 ? -1 : System.Numerics.BitOperations.TrailingZeroCount(bits);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Reverse(Lanes512 a) => new(Vector512.Shuffle(a._v, Vector512.Create(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<float> Lo, Vector128<float> Hi) FoldSixteen(Lanes512 a0, Lanes512 a1, Lanes512 a2, Lanes512 a3)
    {
        var t = a0._v.GetLower() + a0._v.GetUpper();
        return (t.GetLower(), t.GetUpper());
    }
}
