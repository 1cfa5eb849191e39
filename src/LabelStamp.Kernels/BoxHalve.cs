using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>
/// Halves a plane in both directions by 2 × 2 box averaging, one output row at a time:
/// dest[i] = (top[2i] + top[2i+1] + bottom[2i] + bottom[2i+1] + 2) >> 2 (rounded mean). The video
/// mark is embedded on this half-size luma copy so its chips are twice as large (they survive
/// compression). Vector paths add the byte pairs inside 16-bit lanes (mask + shift), so every width
/// gives the scalar result to the bit; the ragged tail is one overlapping last vector.
/// </summary>
public static class BoxHalve
{
    /// <param name="top">Row 2y of the source; needs 2 · dest.Length samples.</param>
    /// <param name="bottom">Row 2y + 1 of the source; needs 2 · dest.Length samples.</param>
    public static void Row(ReadOnlySpan<byte> top, ReadOnlySpan<byte> bottom, Span<byte> dest, VectorWidth width = VectorWidth.Auto)
    {
        int n = dest.Length;
        if (top.Length < 2 * n || bottom.Length < 2 * n)
            throw new ArgumentException("Source rows must hold two samples per output sample.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref byte t = ref MemoryMarshal.GetReference(top);
        ref byte b = ref MemoryMarshal.GetReference(bottom);
        ref byte d = ref MemoryMarshal.GetReference(dest);
        if (width == VectorWidth.V512 && n >= 64)
        {
            int last = n - 64;
            var tail = Halve512(ref t, ref b, (nuint)(2 * last));
            for (int i = 0; i < last; i += 64) Halve512(ref t, ref b, (nuint)(2 * i)).StoreUnsafe(ref d, (nuint)i);
            tail.StoreUnsafe(ref d, (nuint)last);
            return;
        }
        if (width >= VectorWidth.V256 && n >= 32)
        {
            int last = n - 32;
            var tail = Halve256(ref t, ref b, (nuint)(2 * last));
            for (int i = 0; i < last; i += 32) Halve256(ref t, ref b, (nuint)(2 * i)).StoreUnsafe(ref d, (nuint)i);
            tail.StoreUnsafe(ref d, (nuint)last);
            return;
        }
        if (width >= VectorWidth.V128 && n >= 16)
        {
            int last = n - 16;
            var tail = Halve128(ref t, ref b, (nuint)(2 * last));
            for (int i = 0; i < last; i += 16) Halve128(ref t, ref b, (nuint)(2 * i)).StoreUnsafe(ref d, (nuint)i);
            tail.StoreUnsafe(ref d, (nuint)last);
            return;
        }
        for (int i = 0; i < n; i++)
            Unsafe.Add(ref d, i) = (byte)((Unsafe.Add(ref t, 2 * i) + Unsafe.Add(ref t, 2 * i + 1) + Unsafe.Add(ref b, 2 * i) + Unsafe.Add(ref b, 2 * i + 1) + 2) >> 2);
    }

    /// <summary>The textbook formula every path is tested against.</summary>
    public static void RowScalarReference(ReadOnlySpan<byte> top, ReadOnlySpan<byte> bottom, Span<byte> dest)
    {
        for (int i = 0; i < dest.Length; i++)
            dest[i] = (byte)Math.Round((top[2 * i] + top[2 * i + 1] + bottom[2 * i] + bottom[2 * i + 1]) / 4.0, MidpointRounding.AwayFromZero);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Halve128(ref byte top, ref byte bottom, nuint i)
    {
        var m = Vector128.Create((ushort)0xFF);
        var t0 = Vector128.LoadUnsafe(ref top, i).AsUInt16();
        var t1 = Vector128.LoadUnsafe(ref top, i + 16).AsUInt16();
        var b0 = Vector128.LoadUnsafe(ref bottom, i).AsUInt16();
        var b1 = Vector128.LoadUnsafe(ref bottom, i + 16).AsUInt16();
        var two = Vector128.Create((ushort)2);
        // Little-endian: byte 2j is the low half of 16-bit lane j, byte 2j + 1 the high half.
        var s0 = (t0 & m) + (t0 >> 8) + (b0 & m) + (b0 >> 8) + two;
        var s1 = (t1 & m) + (t1 >> 8) + (b1 & m) + (b1 >> 8) + two;
        return Vector128.Narrow(s0 >> 2, s1 >> 2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Halve256(ref byte top, ref byte bottom, nuint i)
    {
        var m = Vector256.Create((ushort)0xFF);
        var t0 = Vector256.LoadUnsafe(ref top, i).AsUInt16();
        var t1 = Vector256.LoadUnsafe(ref top, i + 32).AsUInt16();
        var b0 = Vector256.LoadUnsafe(ref bottom, i).AsUInt16();
        var b1 = Vector256.LoadUnsafe(ref bottom, i + 32).AsUInt16();
        var two = Vector256.Create((ushort)2);
        // Little-endian: byte 2j is the low half of 16-bit lane j, byte 2j + 1 the high half.
        var s0 = (t0 & m) + (t0 >> 8) + (b0 & m) + (b0 >> 8) + two;
        var s1 = (t1 & m) + (t1 >> 8) + (b1 & m) + (b1 >> 8) + two;
        return Vector256.Narrow(s0 >> 2, s1 >> 2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<byte> Halve512(ref byte top, ref byte bottom, nuint i)
    {
        var m = Vector512.Create((ushort)0xFF);
        var t0 = Vector512.LoadUnsafe(ref top, i).AsUInt16();
        var t1 = Vector512.LoadUnsafe(ref top, i + 64).AsUInt16();
        var b0 = Vector512.LoadUnsafe(ref bottom, i).AsUInt16();
        var b1 = Vector512.LoadUnsafe(ref bottom, i + 64).AsUInt16();
        var two = Vector512.Create((ushort)2);
        // Little-endian: byte 2j is the low half of 16-bit lane j, byte 2j + 1 the high half.
        var s0 = (t0 & m) + (t0 >> 8) + (b0 & m) + (b0 >> 8) + two;
        var s1 = (t1 & m) + (t1 >> 8) + (b1 & m) + (b1 >> 8) + two;
        return Vector512.Narrow(s0 >> 2, s1 >> 2);
    }
}
