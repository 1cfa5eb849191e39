using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>
/// The first half of <see cref="MarkAddOperator"/>: the signed delta d = ((sbyte)y · z + 128) >> 8 of a tile
/// value y and a gain z, as a byte (two's complement; |d| ≤ 127 for any y and z, so −d fits too). The third
/// input is not read. Integer arithmetic in 16-bit lanes, so every width gives the scalar result to the bit.
/// </summary>
public readonly struct ChipDeltaOperator : ITernaryOperator<byte>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte Invoke(byte x, byte y, byte z) => (byte)(((sbyte)x * y + 128) >> 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Invoke(Vector128<byte> x, Vector128<byte> y, Vector128<byte> z)
    {
        (Vector128<short> xl, Vector128<short> xh) = Vector128.Widen(x.AsSByte());
        (Vector128<ushort> yl, Vector128<ushort> yh) = Vector128.Widen(y);
        Vector128<short> half = Vector128.Create((short)128);
        return Vector128.Narrow((xl * yl.AsInt16() + half) >> 8, (xh * yh.AsInt16() + half) >> 8).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Invoke(Vector256<byte> x, Vector256<byte> y, Vector256<byte> z)
    {
        (Vector256<short> xl, Vector256<short> xh) = Vector256.Widen(x.AsSByte());
        (Vector256<ushort> yl, Vector256<ushort> yh) = Vector256.Widen(y);
        Vector256<short> half = Vector256.Create((short)128);
        return Vector256.Narrow((xl * yl.AsInt16() + half) >> 8, (xh * yh.AsInt16() + half) >> 8).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> Invoke(Vector512<byte> x, Vector512<byte> y, Vector512<byte> z)
    {
        (Vector512<short> xl, Vector512<short> xh) = Vector512.Widen(x.AsSByte());
        (Vector512<ushort> yl, Vector512<ushort> yh) = Vector512.Widen(y);
        Vector512<short> half = Vector512.Create((short)128);
        return Vector512.Narrow((xl * yl.AsInt16() + half) >> 8, (xh * yh.AsInt16() + half) >> 8).AsByte();
    }
}
