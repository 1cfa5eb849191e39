using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>
/// Adds a masked watermark chip to one 8-bit sample: clamp(x + ((sbyte)y · z + 128) >> 8, 0, 255), with
/// x = the pixel sample, y = the tile value as a signed byte (±127 for a ±1 chip, 0 for alpha), and
/// z = the perceptual gain (the mask times the strength, 0-255, i.e. up to ±127 levels). Integer
/// arithmetic in 16-bit lanes so every width gives the scalar result to the bit.
/// </summary>
public readonly struct MarkAddOperator : ITernaryOperator<byte>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte Invoke(byte x, byte y, byte z)
    {
        int v = x + (((sbyte)y * z + 128) >> 8);
        return (byte)Math.Clamp(v, 0, 255);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Invoke(Vector128<byte> x, Vector128<byte> y, Vector128<byte> z)
    {
        (Vector128<ushort> xl, Vector128<ushort> xh) = Vector128.Widen(x);
        (Vector128<short> yl, Vector128<short> yh) = Vector128.Widen(y.AsSByte());
        (Vector128<ushort> zl, Vector128<ushort> zh) = Vector128.Widen(z);
        Vector128<short> half = Vector128.Create((short)128);
        Vector128<short> lo = xl.AsInt16() + ((yl * zl.AsInt16() + half) >> 8);
        Vector128<short> hi = xh.AsInt16() + ((yh * zh.AsInt16() + half) >> 8);
        Vector128<short> max = Vector128.Create((short)255);
        lo = Vector128.Min(Vector128.Max(lo, Vector128<short>.Zero), max);
        hi = Vector128.Min(Vector128.Max(hi, Vector128<short>.Zero), max);
        return Vector128.Narrow(lo.AsUInt16(), hi.AsUInt16());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Invoke(Vector256<byte> x, Vector256<byte> y, Vector256<byte> z)
    {
        (Vector256<ushort> xl, Vector256<ushort> xh) = Vector256.Widen(x);
        (Vector256<short> yl, Vector256<short> yh) = Vector256.Widen(y.AsSByte());
        (Vector256<ushort> zl, Vector256<ushort> zh) = Vector256.Widen(z);
        Vector256<short> half = Vector256.Create((short)128);
        Vector256<short> lo = xl.AsInt16() + ((yl * zl.AsInt16() + half) >> 8);
        Vector256<short> hi = xh.AsInt16() + ((yh * zh.AsInt16() + half) >> 8);
        Vector256<short> max = Vector256.Create((short)255);
        lo = Vector256.Min(Vector256.Max(lo, Vector256<short>.Zero), max);
        hi = Vector256.Min(Vector256.Max(hi, Vector256<short>.Zero), max);
        return Vector256.Narrow(lo.AsUInt16(), hi.AsUInt16());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> Invoke(Vector512<byte> x, Vector512<byte> y, Vector512<byte> z)
    {
        (Vector512<ushort> xl, Vector512<ushort> xh) = Vector512.Widen(x);
        (Vector512<short> yl, Vector512<short> yh) = Vector512.Widen(y.AsSByte());
        (Vector512<ushort> zl, Vector512<ushort> zh) = Vector512.Widen(z);
        Vector512<short> half = Vector512.Create((short)128);
        Vector512<short> lo = xl.AsInt16() + ((yl * zl.AsInt16() + half) >> 8);
        Vector512<short> hi = xh.AsInt16() + ((yh * zh.AsInt16() + half) >> 8);
        Vector512<short> max = Vector512.Create((short)255);
        lo = Vector512.Min(Vector512.Max(lo, Vector512<short>.Zero), max);
        hi = Vector512.Min(Vector512.Max(hi, Vector512<short>.Zero), max);
        return Vector512.Narrow(lo.AsUInt16(), hi.AsUInt16());
    }
}
