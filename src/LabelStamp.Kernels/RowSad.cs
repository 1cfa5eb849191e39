using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LabelStamp.Kernels;

/// <summary>
/// Sum of absolute differences of two byte rows, Σ |a[i] − b[i]|: the inner loop of block matching
/// (global motion estimation on video luma). x86's PSADBW sums 8 byte differences per lane in one
/// instruction, so a 16/32/64-byte vector costs one instruction plus an add; without it (ARM64) a
/// portable Vector128 path takes max − min per byte and widens. Integer sums, so every path gives the
/// scalar result to the bit.
/// </summary>
public static class RowSad
{
    public static long Sum(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, VectorWidth width = VectorWidth.Auto)
    {
        if (a.Length != b.Length) throw new ArgumentException("Rows of different lengths.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        int n = a.Length, i = 0;
        ref byte pa = ref MemoryMarshal.GetReference(a);
        ref byte pb = ref MemoryMarshal.GetReference(b);
        ulong total = 0;
        if (width == VectorWidth.V512 && Avx512BW.IsSupported && n >= 64)
        {
            var acc = Vector512<ulong>.Zero;
            for (; i + 64 <= n; i += 64)
                acc += Avx512BW.SumAbsoluteDifferences(Vector512.LoadUnsafe(ref pa, (nuint)i), Vector512.LoadUnsafe(ref pb, (nuint)i)).AsUInt64();
            total += Vector512.Sum(acc);
        }
        if (width >= VectorWidth.V256 && Avx2.IsSupported && n - i >= 32)
        {
            var acc = Vector256<ulong>.Zero;
            for (; i + 32 <= n; i += 32)
                acc += Avx2.SumAbsoluteDifferences(Vector256.LoadUnsafe(ref pa, (nuint)i), Vector256.LoadUnsafe(ref pb, (nuint)i)).AsUInt64();
            total += Vector256.Sum(acc);
        }
        if (width >= VectorWidth.V128 && Sse2.IsSupported && n - i >= 16)
        {
            var acc = Vector128<ulong>.Zero;
            for (; i + 16 <= n; i += 16)
                acc += Sse2.SumAbsoluteDifferences(Vector128.LoadUnsafe(ref pa, (nuint)i), Vector128.LoadUnsafe(ref pb, (nuint)i)).AsUInt64();
            total += Vector128.Sum(acc);
        }
        if (width >= VectorWidth.V128 && !Sse2.IsSupported && Vector128.IsHardwareAccelerated)
            total += Portable128(ref pa, ref pb, n, ref i);
        for (; i < n; i++) total += (ulong)Math.Abs(Unsafe.Add(ref pa, i) - Unsafe.Add(ref pb, i));
        return (long)total;
    }

    /// <summary>The same sum without PSADBW (ARM64's NEON and other 128-bit ISAs); public so the tests
    /// prove it on x86 as well.</summary>
    public static long SumPortable(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length) throw new ArgumentException("Rows of different lengths.");
        ref byte pa = ref MemoryMarshal.GetReference(a);
        ref byte pb = ref MemoryMarshal.GetReference(b);
        int i = 0;
        ulong total = Portable128(ref pa, ref pb, a.Length, ref i);
        for (; i < a.Length; i++) total += (ulong)Math.Abs(Unsafe.Add(ref pa, i) - Unsafe.Add(ref pb, i));
        return (long)total;
    }

    private static ulong Portable128(ref byte pa, ref byte pb, int n, ref int i)
    {
        // 16-bit lanes hold ≤ 2 · 255 per vector; flushed to 64 bits every vector, so no lane overflows.
        ulong total = 0;
        for (; i + 16 <= n; i += 16)
        {
            var x = Vector128.LoadUnsafe(ref pa, (nuint)i);
            var y = Vector128.LoadUnsafe(ref pb, (nuint)i);
            (Vector128<ushort> lo, Vector128<ushort> hi) = Vector128.Widen(Vector128.Max(x, y) - Vector128.Min(x, y));
            total += Vector128.Sum(lo + hi);
        }
        return total;
    }

    /// <summary>The textbook formula every path is tested against.</summary>
    public static long SumScalarReference(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        long s = 0;
        for (int i = 0; i < a.Length; i++) s += Math.Abs(a[i] - b[i]);
        return s;
    }
}
