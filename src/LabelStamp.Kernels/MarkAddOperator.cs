using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>
/// Adds a masked watermark chip to one 8-bit sample without clipping highlights: with
/// d = ((sbyte)y · z + 128) >> 8 the result is max(0, min(x, 255 − |d|) + d), where x = the pixel
/// sample, y = the tile value as a signed byte (±127 for a ±1 chip, 0 for alpha), and z = the
/// perceptual gain (the mask times the strength, 0-255, i.e. up to ±127 levels). Pulling a sample
/// near white |d| down first keeps the full ±d swing on white areas (plain clipping kept only half of
/// it and lost the mark on white-on-transparent art); the shift is a uniform offset, which the
/// detector's high-pass ignores. Black is still clipped: lifting black by |d| costs SSIM heavily
/// (its luminance term is most sensitive near 0; measured 0.970 instead of 0.990 on arc-transparent). Integer arithmetic in 16-bit lanes so every width gives the
/// scalar result to the bit.
/// </summary>
public readonly struct MarkAddOperator : ITernaryOperator<byte>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte Invoke(byte x, byte y, byte z)
    {
        int d = ((sbyte)y * z + 128) >> 8, a = Math.Abs(d);
        return (byte)Math.Max(0, Math.Min(x, 255 - a) + d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Invoke(Vector128<byte> x, Vector128<byte> y, Vector128<byte> z)
    {
        (Vector128<ushort> xl, Vector128<ushort> xh) = Vector128.Widen(x);
        (Vector128<short> yl, Vector128<short> yh) = Vector128.Widen(y.AsSByte());
        (Vector128<ushort> zl, Vector128<ushort> zh) = Vector128.Widen(z);
        Vector128<short> half = Vector128.Create((short)128);
        Vector128<short> dl = (yl * zl.AsInt16() + half) >> 8;
        Vector128<short> dh = (yh * zh.AsInt16() + half) >> 8;
        Vector128<short> top = Vector128.Create((short)255);
        Vector128<short> al = Vector128.Abs(dl), ah = Vector128.Abs(dh);
        Vector128<short> lo = Vector128.Max(Vector128.Min(xl.AsInt16(), top - al) + dl, Vector128<short>.Zero);
        Vector128<short> hi = Vector128.Max(Vector128.Min(xh.AsInt16(), top - ah) + dh, Vector128<short>.Zero);
        return Vector128.Narrow(lo.AsUInt16(), hi.AsUInt16());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Invoke(Vector256<byte> x, Vector256<byte> y, Vector256<byte> z)
    {
        (Vector256<ushort> xl, Vector256<ushort> xh) = Vector256.Widen(x);
        (Vector256<short> yl, Vector256<short> yh) = Vector256.Widen(y.AsSByte());
        (Vector256<ushort> zl, Vector256<ushort> zh) = Vector256.Widen(z);
        Vector256<short> half = Vector256.Create((short)128);
        Vector256<short> dl = (yl * zl.AsInt16() + half) >> 8;
        Vector256<short> dh = (yh * zh.AsInt16() + half) >> 8;
        Vector256<short> top = Vector256.Create((short)255);
        Vector256<short> al = Vector256.Abs(dl), ah = Vector256.Abs(dh);
        Vector256<short> lo = Vector256.Max(Vector256.Min(xl.AsInt16(), top - al) + dl, Vector256<short>.Zero);
        Vector256<short> hi = Vector256.Max(Vector256.Min(xh.AsInt16(), top - ah) + dh, Vector256<short>.Zero);
        return Vector256.Narrow(lo.AsUInt16(), hi.AsUInt16());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> Invoke(Vector512<byte> x, Vector512<byte> y, Vector512<byte> z)
    {
        (Vector512<ushort> xl, Vector512<ushort> xh) = Vector512.Widen(x);
        (Vector512<short> yl, Vector512<short> yh) = Vector512.Widen(y.AsSByte());
        (Vector512<ushort> zl, Vector512<ushort> zh) = Vector512.Widen(z);
        Vector512<short> half = Vector512.Create((short)128);
        Vector512<short> dl = (yl * zl.AsInt16() + half) >> 8;
        Vector512<short> dh = (yh * zh.AsInt16() + half) >> 8;
        Vector512<short> top = Vector512.Create((short)255);
        Vector512<short> al = Vector512.Abs(dl), ah = Vector512.Abs(dh);
        Vector512<short> lo = Vector512.Max(Vector512.Min(xl.AsInt16(), top - al) + dl, Vector512<short>.Zero);
        Vector512<short> hi = Vector512.Max(Vector512.Min(xh.AsInt16(), top - ah) + dh, Vector512<short>.Zero);
        return Vector512.Narrow(lo.AsUInt16(), hi.AsUInt16());
    }
}
