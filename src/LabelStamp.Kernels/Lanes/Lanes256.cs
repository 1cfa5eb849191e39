using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels.Lanes;

/// <summary><see cref="IFloatLanes{TSelf}"/> over <see cref="Vector256{T}"/>.</summary>
public readonly struct Lanes256(Vector256<float> value) : IFloatLanes<Lanes256>
{
    private readonly Vector256<float> _v = value;

    public static int Count => Vector256<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Create(float value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Load(ref float source, nuint index) => new(Vector256.LoadUnsafe(ref source, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 LoadConverted(ref int source, nuint index) => new(Vector256.ConvertToSingle(Vector256.LoadUnsafe(ref source, index)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 LoadConvertedBytes(ref byte source, nuint index) =>
        new(Vector256.ConvertToSingle(Vector256.WidenLower(Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, index))).AsByte()).ToVector256Unsafe()).AsInt32()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 LoadSumConverted(ref int a, ref int b, nuint index) =>
        new(Vector256.ConvertToSingle(Vector256.LoadUnsafe(ref a, index) + Vector256.LoadUnsafe(ref b, index)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lanes256 value, ref float destination, nuint index) => value._v.StoreUnsafe(ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator +(Lanes256 a, Lanes256 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator -(Lanes256 a, Lanes256 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator *(Lanes256 a, Lanes256 b) => new(a._v * b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator /(Lanes256 a, Lanes256 b) => new(a._v / b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Max(Lanes256 a, Lanes256 b) => new(Vector256.Max(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Sqrt(Lanes256 a) => new(Vector256.Sqrt(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Abs(Lanes256 a) => new(Vector256.Abs(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Truncate(Lanes256 a) => new(Vector256.Truncate(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 SelectAtLeast(Lanes256 a, Lanes256 b, Lanes256 ifTrue, Lanes256 ifFalse) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(a._v, b._v), ifTrue._v, ifFalse._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 ZeroAbove(Lanes256 a, Lanes256 limit) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThan(a._v, limit._v), Vector256<float>.Zero, a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FirstEqual(Lanes256 a, Lanes256 value)
    {
        uint bits = Vector256.Equals(a._v, value._v).ExtractMostSignificantBits();
        return bits == 0 ? -1 : System.Numerics.BitOperations.TrailingZeroCount(bits);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Reverse(Lanes256 a) => new(Vector256.Shuffle(a._v, Vector256.Create(7, 6, 5, 4, 3, 2, 1, 0)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<float> Lo, Vector128<float> Hi) FoldSixteen(Lanes256 a0, Lanes256 a1, Lanes256 a2, Lanes256 a3)
    {
        var t = a0._v + a1._v;
        return (t.GetLower(), t.GetUpper());
    }
}
