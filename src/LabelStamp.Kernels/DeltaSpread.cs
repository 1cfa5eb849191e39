using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>
/// The inverse of <see cref="BoxHalve"/> for a change: whatever an operation did to the half-size
/// plane (after − before) is added to the 2 × 2 block each sample came from, clamped to 0-255:
/// top[2i + k] = clamp(top[2i + k] + after[i] − before[i]) for k = 0, 1, and the same for bottom.
/// The video mark uses it to put a mark made on the half-size luma back on the frame. Vector paths
/// work in 16-bit lanes (a delta may reach ±255) and double each delta by zero-extending it to 32
/// bits and copying it into the high half; every width gives the scalar result to the bit. The
/// ragged tail is computed from the untouched samples before the loop and stored last, so the
/// overlap never adds a delta twice.
/// </summary>
public static class DeltaSpread
{
    /// <param name="after">The half-size row after the change.</param>
    /// <param name="before">The same row before it.</param>
    /// <param name="top">Full-size row 2y, changed in place; needs 2 · after.Length samples.</param>
    /// <param name="bottom">Full-size row 2y + 1, changed in place; needs 2 · after.Length samples.</param>
    public static void Rows(ReadOnlySpan<byte> after, ReadOnlySpan<byte> before, Span<byte> top, Span<byte> bottom,
        VectorWidth width = VectorWidth.Auto)
    {
        int n = after.Length;
        if (before.Length != n || top.Length < 2 * n || bottom.Length < 2 * n)
            throw new ArgumentException("Delta rows must match and full-size rows must hold two samples per delta.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref byte a = ref MemoryMarshal.GetReference(after);
        ref byte b = ref MemoryMarshal.GetReference(before);
        ref byte t = ref MemoryMarshal.GetReference(top);
        ref byte u = ref MemoryMarshal.GetReference(bottom);
        if (width == VectorWidth.V512 && n >= 64)
        {
            int last = n - 64;
            var (e0, e1, e2, e3) = Deltas512(ref a, ref b, (nuint)last);
            var (tt0, tt1) = Spread512(ref t, (nuint)(2 * last), e0, e1, e2, e3);
            var (tu0, tu1) = Spread512(ref u, (nuint)(2 * last), e0, e1, e2, e3);
            for (int i = 0; i < last; i += 64)
            {
                var (d0, d1, d2, d3) = Deltas512(ref a, ref b, (nuint)i);
                var (r0, r1) = Spread512(ref t, (nuint)(2 * i), d0, d1, d2, d3);
                r0.StoreUnsafe(ref t, (nuint)(2 * i)); r1.StoreUnsafe(ref t, (nuint)(2 * i + 64));
                (r0, r1) = Spread512(ref u, (nuint)(2 * i), d0, d1, d2, d3);
                r0.StoreUnsafe(ref u, (nuint)(2 * i)); r1.StoreUnsafe(ref u, (nuint)(2 * i + 64));
            }
            tt0.StoreUnsafe(ref t, (nuint)(2 * last)); tt1.StoreUnsafe(ref t, (nuint)(2 * last + 64));
            tu0.StoreUnsafe(ref u, (nuint)(2 * last)); tu1.StoreUnsafe(ref u, (nuint)(2 * last + 64));
            return;
        }
        if (width >= VectorWidth.V256 && n >= 32)
        {
            int last = n - 32;
            var (e0, e1, e2, e3) = Deltas256(ref a, ref b, (nuint)last);
            var (tt0, tt1) = Spread256(ref t, (nuint)(2 * last), e0, e1, e2, e3);
            var (tu0, tu1) = Spread256(ref u, (nuint)(2 * last), e0, e1, e2, e3);
            for (int i = 0; i < last; i += 32)
            {
                var (d0, d1, d2, d3) = Deltas256(ref a, ref b, (nuint)i);
                var (r0, r1) = Spread256(ref t, (nuint)(2 * i), d0, d1, d2, d3);
                r0.StoreUnsafe(ref t, (nuint)(2 * i)); r1.StoreUnsafe(ref t, (nuint)(2 * i + 32));
                (r0, r1) = Spread256(ref u, (nuint)(2 * i), d0, d1, d2, d3);
                r0.StoreUnsafe(ref u, (nuint)(2 * i)); r1.StoreUnsafe(ref u, (nuint)(2 * i + 32));
            }
            tt0.StoreUnsafe(ref t, (nuint)(2 * last)); tt1.StoreUnsafe(ref t, (nuint)(2 * last + 32));
            tu0.StoreUnsafe(ref u, (nuint)(2 * last)); tu1.StoreUnsafe(ref u, (nuint)(2 * last + 32));
            return;
        }
        if (width >= VectorWidth.V128 && n >= 16)
        {
            int last = n - 16;
            var (e0, e1, e2, e3) = Deltas128(ref a, ref b, (nuint)last);
            var (tt0, tt1) = Spread128(ref t, (nuint)(2 * last), e0, e1, e2, e3);
            var (tu0, tu1) = Spread128(ref u, (nuint)(2 * last), e0, e1, e2, e3);
            for (int i = 0; i < last; i += 16)
            {
                var (d0, d1, d2, d3) = Deltas128(ref a, ref b, (nuint)i);
                var (r0, r1) = Spread128(ref t, (nuint)(2 * i), d0, d1, d2, d3);
                r0.StoreUnsafe(ref t, (nuint)(2 * i)); r1.StoreUnsafe(ref t, (nuint)(2 * i + 16));
                (r0, r1) = Spread128(ref u, (nuint)(2 * i), d0, d1, d2, d3);
                r0.StoreUnsafe(ref u, (nuint)(2 * i)); r1.StoreUnsafe(ref u, (nuint)(2 * i + 16));
            }
            tt0.StoreUnsafe(ref t, (nuint)(2 * last)); tt1.StoreUnsafe(ref t, (nuint)(2 * last + 16));
            tu0.StoreUnsafe(ref u, (nuint)(2 * last)); tu1.StoreUnsafe(ref u, (nuint)(2 * last + 16));
            return;
        }
        for (int i = 0; i < n; i++)
        {
            int d = Unsafe.Add(ref a, i) - Unsafe.Add(ref b, i);
            if (d == 0) continue;
            for (int k = 2 * i; k < 2 * i + 2; k++)
            {
                Unsafe.Add(ref t, k) = (byte)Math.Clamp(Unsafe.Add(ref t, k) + d, 0, 255);
                Unsafe.Add(ref u, k) = (byte)Math.Clamp(Unsafe.Add(ref u, k) + d, 0, 255);
            }
        }
    }

    /// <summary>The textbook formula every path is tested against.</summary>
    public static void RowsScalarReference(ReadOnlySpan<byte> after, ReadOnlySpan<byte> before, Span<byte> top, Span<byte> bottom)
    {
        for (int i = 0; i < after.Length; i++)
        {
            int d = after[i] - before[i];
            top[2 * i] = (byte)Math.Min(255, Math.Max(0, top[2 * i] + d));
            top[2 * i + 1] = (byte)Math.Min(255, Math.Max(0, top[2 * i + 1] + d));
            bottom[2 * i] = (byte)Math.Min(255, Math.Max(0, bottom[2 * i] + d));
            bottom[2 * i + 1] = (byte)Math.Min(255, Math.Max(0, bottom[2 * i + 1] + d));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<byte>, Vector128<byte>) Spread128(ref byte row, nuint o, Vector128<short> d0, Vector128<short> d1, Vector128<short> d2, Vector128<short> d3)
    {
        var top = Vector128.Create((short)255);
        (var x0, var x1) = Vector128.Widen(Vector128.LoadUnsafe(ref row, o));
        (var x2, var x3) = Vector128.Widen(Vector128.LoadUnsafe(ref row, o + 16));
        var r0 = Vector128.Max(Vector128.Min(x0.AsInt16() + d0, top), Vector128<short>.Zero).AsUInt16();
        var r1 = Vector128.Max(Vector128.Min(x1.AsInt16() + d1, top), Vector128<short>.Zero).AsUInt16();
        var r2 = Vector128.Max(Vector128.Min(x2.AsInt16() + d2, top), Vector128<short>.Zero).AsUInt16();
        var r3 = Vector128.Max(Vector128.Min(x3.AsInt16() + d3, top), Vector128<short>.Zero).AsUInt16();
        return (Vector128.Narrow(r0, r1), Vector128.Narrow(r2, r3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<short>, Vector128<short>, Vector128<short>, Vector128<short>) Deltas128(ref byte after, ref byte before, nuint i)
    {
        (var al, var ah) = Vector128.Widen(Vector128.LoadUnsafe(ref after, i));
        (var bl, var bh) = Vector128.Widen(Vector128.LoadUnsafe(ref before, i));
        var dl = (al.AsInt16() - bl.AsInt16()).AsUInt16();
        var dh = (ah.AsInt16() - bh.AsInt16()).AsUInt16();
        // Each 16-bit delta twice in a row: zero-extend to 32 bits, then copy it into the high half.
        (var u0, var u1) = Vector128.Widen(dl);
        (var u2, var u3) = Vector128.Widen(dh);
        return ((u0 | (u0 << 16)).AsInt16(), (u1 | (u1 << 16)).AsInt16(), (u2 | (u2 << 16)).AsInt16(), (u3 | (u3 << 16)).AsInt16());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<byte>, Vector256<byte>) Spread256(ref byte row, nuint o, Vector256<short> d0, Vector256<short> d1, Vector256<short> d2, Vector256<short> d3)
    {
        var top = Vector256.Create((short)255);
        (var x0, var x1) = Vector256.Widen(Vector256.LoadUnsafe(ref row, o));
        (var x2, var x3) = Vector256.Widen(Vector256.LoadUnsafe(ref row, o + 32));
        var r0 = Vector256.Max(Vector256.Min(x0.AsInt16() + d0, top), Vector256<short>.Zero).AsUInt16();
        var r1 = Vector256.Max(Vector256.Min(x1.AsInt16() + d1, top), Vector256<short>.Zero).AsUInt16();
        var r2 = Vector256.Max(Vector256.Min(x2.AsInt16() + d2, top), Vector256<short>.Zero).AsUInt16();
        var r3 = Vector256.Max(Vector256.Min(x3.AsInt16() + d3, top), Vector256<short>.Zero).AsUInt16();
        return (Vector256.Narrow(r0, r1), Vector256.Narrow(r2, r3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<short>, Vector256<short>, Vector256<short>, Vector256<short>) Deltas256(ref byte after, ref byte before, nuint i)
    {
        (var al, var ah) = Vector256.Widen(Vector256.LoadUnsafe(ref after, i));
        (var bl, var bh) = Vector256.Widen(Vector256.LoadUnsafe(ref before, i));
        var dl = (al.AsInt16() - bl.AsInt16()).AsUInt16();
        var dh = (ah.AsInt16() - bh.AsInt16()).AsUInt16();
        // Each 16-bit delta twice in a row: zero-extend to 32 bits, then copy it into the high half.
        (var u0, var u1) = Vector256.Widen(dl);
        (var u2, var u3) = Vector256.Widen(dh);
        return ((u0 | (u0 << 16)).AsInt16(), (u1 | (u1 << 16)).AsInt16(), (u2 | (u2 << 16)).AsInt16(), (u3 | (u3 << 16)).AsInt16());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<byte>, Vector512<byte>) Spread512(ref byte row, nuint o, Vector512<short> d0, Vector512<short> d1, Vector512<short> d2, Vector512<short> d3)
    {
        var top = Vector512.Create((short)255);
        (var x0, var x1) = Vector512.Widen(Vector512.LoadUnsafe(ref row, o));
        (var x2, var x3) = Vector512.Widen(Vector512.LoadUnsafe(ref row, o + 64));
        var r0 = Vector512.Max(Vector512.Min(x0.AsInt16() + d0, top), Vector512<short>.Zero).AsUInt16();
        var r1 = Vector512.Max(Vector512.Min(x1.AsInt16() + d1, top), Vector512<short>.Zero).AsUInt16();
        var r2 = Vector512.Max(Vector512.Min(x2.AsInt16() + d2, top), Vector512<short>.Zero).AsUInt16();
        var r3 = Vector512.Max(Vector512.Min(x3.AsInt16() + d3, top), Vector512<short>.Zero).AsUInt16();
        return (Vector512.Narrow(r0, r1), Vector512.Narrow(r2, r3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<short>, Vector512<short>, Vector512<short>, Vector512<short>) Deltas512(ref byte after, ref byte before, nuint i)
    {
        (var al, var ah) = Vector512.Widen(Vector512.LoadUnsafe(ref after, i));
        (var bl, var bh) = Vector512.Widen(Vector512.LoadUnsafe(ref before, i));
        var dl = (al.AsInt16() - bl.AsInt16()).AsUInt16();
        var dh = (ah.AsInt16() - bh.AsInt16()).AsUInt16();
        // Each 16-bit delta twice in a row: zero-extend to 32 bits, then copy it into the high half.
        (var u0, var u1) = Vector512.Widen(dl);
        (var u2, var u3) = Vector512.Widen(dh);
        return ((u0 | (u0 << 16)).AsInt16(), (u1 | (u1 << 16)).AsInt16(), (u2 | (u2 << 16)).AsInt16(), (u3 | (u3 << 16)).AsInt16());
    }
}
