using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>
/// Block statistics of the image watermark's fidelity budget, first half: the column sums and sums of
/// squares of one or two sampled rows, sums[i] = a[i] + b[i] and squares[i] = a[i]² + b[i]², then sums
/// along a run of pixels by shifted adds, from which each SSIM window's per-channel mean and variance
/// follow (<c>BlockStatistics</c> in the library). Summing down the columns first keeps the vector work
/// element-wise (no horizontal shuffles, any band layout); storing both rows' moments in one pass, instead
/// of clearing accumulators and adding each row, writes the wide accumulators once. Integer arithmetic:
/// every width gives the scalar result to the bit.
/// </summary>
public static class ColumnMoments
{
    /// <summary>sums[i] = first[i] + second[i], squares[i] = first[i]² + second[i]² for i &lt; first.Length;
    /// an empty <paramref name="second"/> stands for a row of zeros (one sampled row).</summary>
    public static void Store(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<ushort> sums, Span<uint> squares,
        VectorWidth width = VectorWidth.Auto)
    {
        int n = first.Length;
        bool two = !second.IsEmpty;
        if ((two && second.Length != n) || sums.Length < n || squares.Length < n)
            throw new ArgumentException("Rows and moment accumulators disagree in length.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref byte a = ref MemoryMarshal.GetReference(first);
        ref byte b = ref two ? ref MemoryMarshal.GetReference(second) : ref a;
        ref ushort s = ref MemoryMarshal.GetReference(sums);
        ref uint q = ref MemoryMarshal.GetReference(squares);
        int i = 0;
        if (width == VectorWidth.V512)
            for (; i + Vector512<byte>.Count <= n; i += Vector512<byte>.Count)
            {
                (Vector512<ushort> a0, Vector512<ushort> a1) = Vector512.Widen(Vector512.LoadUnsafe(ref a, (nuint)i));
                (Vector512<ushort> b0, Vector512<ushort> b1) = two ? Vector512.Widen(Vector512.LoadUnsafe(ref b, (nuint)i)) : default;
                int h = Vector512<ushort>.Count, u = Vector512<uint>.Count;
                (a0 + b0).StoreUnsafe(ref s, (nuint)i);
                (a1 + b1).StoreUnsafe(ref s, (nuint)(i + h));
                (Vector512<uint> p0, Vector512<uint> p1) = Vector512.Widen(a0 * a0);
                (Vector512<uint> p2, Vector512<uint> p3) = Vector512.Widen(a1 * a1);
                (Vector512<uint> r0, Vector512<uint> r1) = Vector512.Widen(b0 * b0);
                (Vector512<uint> r2, Vector512<uint> r3) = Vector512.Widen(b1 * b1);
                (p0 + r0).StoreUnsafe(ref q, (nuint)i);
                (p1 + r1).StoreUnsafe(ref q, (nuint)(i + u));
                (p2 + r2).StoreUnsafe(ref q, (nuint)(i + 2 * u));
                (p3 + r3).StoreUnsafe(ref q, (nuint)(i + 3 * u));
            }
        if (width >= VectorWidth.V256)
            for (; i + Vector256<byte>.Count <= n; i += Vector256<byte>.Count)
            {
                (Vector256<ushort> a0, Vector256<ushort> a1) = Vector256.Widen(Vector256.LoadUnsafe(ref a, (nuint)i));
                (Vector256<ushort> b0, Vector256<ushort> b1) = two ? Vector256.Widen(Vector256.LoadUnsafe(ref b, (nuint)i)) : default;
                int h = Vector256<ushort>.Count, u = Vector256<uint>.Count;
                (a0 + b0).StoreUnsafe(ref s, (nuint)i);
                (a1 + b1).StoreUnsafe(ref s, (nuint)(i + h));
                (Vector256<uint> p0, Vector256<uint> p1) = Vector256.Widen(a0 * a0);
                (Vector256<uint> p2, Vector256<uint> p3) = Vector256.Widen(a1 * a1);
                (Vector256<uint> r0, Vector256<uint> r1) = Vector256.Widen(b0 * b0);
                (Vector256<uint> r2, Vector256<uint> r3) = Vector256.Widen(b1 * b1);
                (p0 + r0).StoreUnsafe(ref q, (nuint)i);
                (p1 + r1).StoreUnsafe(ref q, (nuint)(i + u));
                (p2 + r2).StoreUnsafe(ref q, (nuint)(i + 2 * u));
                (p3 + r3).StoreUnsafe(ref q, (nuint)(i + 3 * u));
            }
        if (width >= VectorWidth.V128)
            for (; i + Vector128<byte>.Count <= n; i += Vector128<byte>.Count)
            {
                (Vector128<ushort> a0, Vector128<ushort> a1) = Vector128.Widen(Vector128.LoadUnsafe(ref a, (nuint)i));
                (Vector128<ushort> b0, Vector128<ushort> b1) = two ? Vector128.Widen(Vector128.LoadUnsafe(ref b, (nuint)i)) : default;
                int h = Vector128<ushort>.Count, u = Vector128<uint>.Count;
                (a0 + b0).StoreUnsafe(ref s, (nuint)i);
                (a1 + b1).StoreUnsafe(ref s, (nuint)(i + h));
                (Vector128<uint> p0, Vector128<uint> p1) = Vector128.Widen(a0 * a0);
                (Vector128<uint> p2, Vector128<uint> p3) = Vector128.Widen(a1 * a1);
                (Vector128<uint> r0, Vector128<uint> r1) = Vector128.Widen(b0 * b0);
                (Vector128<uint> r2, Vector128<uint> r3) = Vector128.Widen(b1 * b1);
                (p0 + r0).StoreUnsafe(ref q, (nuint)i);
                (p1 + r1).StoreUnsafe(ref q, (nuint)(i + u));
                (p2 + r2).StoreUnsafe(ref q, (nuint)(i + 2 * u));
                (p3 + r3).StoreUnsafe(ref q, (nuint)(i + 3 * u));
            }
        for (; i < n; i++)
        {
            uint x = Unsafe.Add(ref a, i), y = two ? Unsafe.Add(ref b, i) : 0u;
            Unsafe.Add(ref s, i) = (ushort)(x + y);
            Unsafe.Add(ref q, i) = x * x + y * y;
        }
    }

    /// <summary>The textbook formula <see cref="Store"/> is tested against.</summary>
    public static void StoreScalarReference(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<ushort> sums, Span<uint> squares)
    {
        for (int i = 0; i < first.Length; i++)
        {
            int y = second.IsEmpty ? 0 : second[i];
            sums[i] = (ushort)(first[i] + y);
            squares[i] = (uint)(first[i] * first[i] + y * y);
        }
    }

    /// <summary>sums[i] += sums[i + shift], squares[i] += squares[i + shift] for i &lt; length − shift, in
    /// increasing i (each element takes its right-hand partner's value from before the pass): with shifts of
    /// 1 and 2 pixels the column sums become sums over 4 pixels, per band, at every position. A vector
    /// pass forward in place is exact because it reads i + shift before any later vector writes it.</summary>
    public static void AddShifted(Span<ushort> sums, Span<uint> squares, int shift, VectorWidth width = VectorWidth.Auto)
    {
        int n = sums.Length - shift;
        if (shift < 1 || squares.Length < sums.Length) throw new ArgumentException("Shift must be ≥ 1 and the accumulators equally long.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref ushort s = ref MemoryMarshal.GetReference(sums);
        ref uint q = ref MemoryMarshal.GetReference(squares);
        int i = 0;
        if (width == VectorWidth.V512)
            for (; i + Vector512<ushort>.Count <= n; i += Vector512<ushort>.Count)
            {
                int u = Vector512<uint>.Count;
                (Vector512.LoadUnsafe(ref s, (nuint)i) + Vector512.LoadUnsafe(ref s, (nuint)(i + shift))).StoreUnsafe(ref s, (nuint)i);
                (Vector512.LoadUnsafe(ref q, (nuint)i) + Vector512.LoadUnsafe(ref q, (nuint)(i + shift))).StoreUnsafe(ref q, (nuint)i);
                (Vector512.LoadUnsafe(ref q, (nuint)(i + u)) + Vector512.LoadUnsafe(ref q, (nuint)(i + u + shift))).StoreUnsafe(ref q, (nuint)(i + u));
            }
        if (width >= VectorWidth.V256)
            for (; i + Vector256<ushort>.Count <= n; i += Vector256<ushort>.Count)
            {
                int u = Vector256<uint>.Count;
                (Vector256.LoadUnsafe(ref s, (nuint)i) + Vector256.LoadUnsafe(ref s, (nuint)(i + shift))).StoreUnsafe(ref s, (nuint)i);
                (Vector256.LoadUnsafe(ref q, (nuint)i) + Vector256.LoadUnsafe(ref q, (nuint)(i + shift))).StoreUnsafe(ref q, (nuint)i);
                (Vector256.LoadUnsafe(ref q, (nuint)(i + u)) + Vector256.LoadUnsafe(ref q, (nuint)(i + u + shift))).StoreUnsafe(ref q, (nuint)(i + u));
            }
        if (width >= VectorWidth.V128)
            for (; i + Vector128<ushort>.Count <= n; i += Vector128<ushort>.Count)
            {
                int u = Vector128<uint>.Count;
                (Vector128.LoadUnsafe(ref s, (nuint)i) + Vector128.LoadUnsafe(ref s, (nuint)(i + shift))).StoreUnsafe(ref s, (nuint)i);
                (Vector128.LoadUnsafe(ref q, (nuint)i) + Vector128.LoadUnsafe(ref q, (nuint)(i + shift))).StoreUnsafe(ref q, (nuint)i);
                (Vector128.LoadUnsafe(ref q, (nuint)(i + u)) + Vector128.LoadUnsafe(ref q, (nuint)(i + u + shift))).StoreUnsafe(ref q, (nuint)(i + u));
            }
        for (; i < n; i++)
        {
            Unsafe.Add(ref s, i) += Unsafe.Add(ref s, i + shift);
            Unsafe.Add(ref q, i) += Unsafe.Add(ref q, i + shift);
        }
    }

    /// <summary>The textbook formula <see cref="AddShifted"/> is tested against.</summary>
    public static void AddShiftedScalarReference(Span<ushort> sums, Span<uint> squares, int shift)
    {
        for (int i = 0; i + shift < sums.Length; i++)
        {
            sums[i] += sums[i + shift];
            squares[i] += squares[i + shift];
        }
    }
}
