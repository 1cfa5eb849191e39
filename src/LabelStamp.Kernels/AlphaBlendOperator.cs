using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>
/// Straight-alpha "over" of one 8-bit sample: round((d·(255−a) + c·a) / 255), with x = destination d,
/// y = overlay colour c, z = overlay alpha a. The division by 255 is the exact rounding identity
/// (t + 128 + ((t + 128) >> 8)) >> 8, so every width gives the scalar result to the bit.
/// </summary>
public readonly struct AlphaBlendOperator : ITernaryOperator<byte>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte Invoke(byte d, byte c, byte a)
    {
        int t = d * (255 - a) + c * a + 128;
        return (byte)((t + (t >> 8)) >> 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Invoke(Vector128<byte> d, Vector128<byte> c, Vector128<byte> a)
    {
        Vector128<byte> inv = Vector128.Create((byte)255) - a;
        (Vector128<ushort> dl, Vector128<ushort> dh) = Vector128.Widen(d);
        (Vector128<ushort> cl, Vector128<ushort> ch) = Vector128.Widen(c);
        (Vector128<ushort> al, Vector128<ushort> ah) = Vector128.Widen(a);
        (Vector128<ushort> il, Vector128<ushort> ih) = Vector128.Widen(inv);
        Vector128<ushort> half = Vector128.Create((ushort)128);
        Vector128<ushort> lo = dl * il + cl * al + half;
        Vector128<ushort> hi = dh * ih + ch * ah + half;
        lo = (lo + (lo >>> 8)) >>> 8;
        hi = (hi + (hi >>> 8)) >>> 8;
        return Vector128.Narrow(lo, hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Invoke(Vector256<byte> d, Vector256<byte> c, Vector256<byte> a)
    {
        Vector256<byte> inv = Vector256.Create((byte)255) - a;
        (Vector256<ushort> dl, Vector256<ushort> dh) = Vector256.Widen(d);
        (Vector256<ushort> cl, Vector256<ushort> ch) = Vector256.Widen(c);
        (Vector256<ushort> al, Vector256<ushort> ah) = Vector256.Widen(a);
        (Vector256<ushort> il, Vector256<ushort> ih) = Vector256.Widen(inv);
        Vector256<ushort> half = Vector256.Create((ushort)128);
        Vector256<ushort> lo = dl * il + cl * al + half;
        Vector256<ushort> hi = dh * ih + ch * ah + half;
        lo = (lo + (lo >>> 8)) >>> 8;
        hi = (hi + (hi >>> 8)) >>> 8;
        return Vector256.Narrow(lo, hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> Invoke(Vector512<byte> d, Vector512<byte> c, Vector512<byte> a)
    {
        Vector512<byte> inv = Vector512.Create((byte)255) - a;
        (Vector512<ushort> dl, Vector512<ushort> dh) = Vector512.Widen(d);
        (Vector512<ushort> cl, Vector512<ushort> ch) = Vector512.Widen(c);
        (Vector512<ushort> al, Vector512<ushort> ah) = Vector512.Widen(a);
        (Vector512<ushort> il, Vector512<ushort> ih) = Vector512.Widen(inv);
        Vector512<ushort> half = Vector512.Create((ushort)128);
        Vector512<ushort> lo = dl * il + cl * al + half;
        Vector512<ushort> hi = dh * ih + ch * ah + half;
        lo = (lo + (lo >>> 8)) >>> 8;
        hi = (hi + (hi >>> 8)) >>> 8;
        return Vector512.Narrow(lo, hi);
    }
}
