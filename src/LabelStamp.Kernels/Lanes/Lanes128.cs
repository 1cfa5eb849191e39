using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels.Lanes;

/// <summary><see cref="IFloatLanes{TSelf}"/> over <see cref="Vector128{T}"/>.</summary>
public readonly struct Lanes128(Vector128<float> value) : IFloatLanes<Lanes128>
{
    private readonly Vector128<float> _v = value;

    public static int Count => Vector128<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Create(float value) => new(Vector128.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Load(ref float source, nuint index) => new(Vector128.LoadUnsafe(ref source, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 LoadConverted(ref int source, nuint index) => new(Vector128.ConvertToSingle(Vector128.LoadUnsafe(ref source, index)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 LoadConvertedBytes(ref byte source, nuint index) =>
        new(Vector128.ConvertToSingle(Vector128.WidenLower(Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref source, index))).AsByte())).AsInt32()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 LoadSumConverted(ref int a, ref int b, nuint index) =>
        new(Vector128.ConvertToSingle(Vector128.LoadUnsafe(ref a, index) + Vector128.LoadUnsafe(ref b, index)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lanes128 value, ref float destination, nuint index) => value._v.StoreUnsafe(ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator +(Lanes128 a, Lanes128 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator -(Lanes128 a, Lanes128 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator *(Lanes128 a, Lanes128 b) => new(a._v * b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator /(Lanes128 a, Lanes128 b) => new(a._v / b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Max(Lanes128 a, Lanes128 b) => new(Vector128.Max(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Sqrt(Lanes128 a) => new(Vector128.Sqrt(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Abs(Lanes128 a) => new(Vector128.Abs(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Truncate(Lanes128 a) => new(Vector128.Truncate(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 SelectAtLeast(Lanes128 a, Lanes128 b, Lanes128 ifTrue, Lanes128 ifFalse) =>
        new(Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(a._v, b._v), ifTrue._v, ifFalse._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 ZeroAbove(Lanes128 a, Lanes128 limit) =>
        new(Vector128.ConditionalSelect(Vector128.GreaterThan(a._v, limit._v), Vector128<float>.Zero, a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FirstEqual(Lanes128 a, Lanes128 value)
    {
        uint bits = Vector128.Equals(a._v, value._v).ExtractMostSignificantBits();
        return bits == 0 ? -1 : System.Numerics.BitOperations.TrailingZeroCount(bits);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Reverse(Lanes128 a) => new(Vector128.Shuffle(a._v, Vector128.Create(3, 2, 1, 0)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<float> Lo, Vector128<float> Hi) FoldSixteen(Lanes128 a0, Lanes128 a1, Lanes128 a2, Lanes128 a3) =>
        (a0._v + a2._v, a1._v + a3._v);
}
