using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>
/// Block statistics of the image watermark's fidelity budget, first half: per sample position i of a
/// row, sums[i] += row[i] and squares[i] += row[i]². Called once for each sampled row of a block row,
/// it leaves the column sums and sums of squares from which each block's per-channel mean and variance
/// follow with one short horizontal add per block (<c>BlockStatistics</c> in the library). Accumulating
/// down the columns first keeps the vector work element-wise (no horizontal shuffles, any band layout)
/// and leaves only one scalar add per sample and block row. Integer arithmetic: every width gives the
/// scalar result to the bit. The ragged tail runs the scalar loop: an accumulate is not idempotent,
/// so <see cref="SpanDriver"/>'s overlapping last vector would count the overlap twice.
/// </summary>
public static class ColumnMoments
{
    /// <summary>sums[i] += row[i], squares[i] += row[i]² for i &lt; row.Length. sums holds at most 257
    /// rows of 255 (ushort), squares any number the caller needs below 2³² / 65,025 = 66,051 rows.</summary>
    public static void Accumulate(ReadOnlySpan<byte> row, Span<ushort> sums, Span<uint> squares, VectorWidth width = VectorWidth.Auto)
    {
        int n = row.Length;
        if (sums.Length < n || squares.Length < n) throw new ArgumentException("Moment accumulators are shorter than the row.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref byte x = ref MemoryMarshal.GetReference(row);
        ref ushort s = ref MemoryMarshal.GetReference(sums);
        ref uint q = ref MemoryMarshal.GetReference(squares);
        int i = 0;
        if (width == VectorWidth.V512)
            for (; i + Vector512<byte>.Count <= n; i += Vector512<byte>.Count)
            {
                (Vector512<ushort> lo, Vector512<ushort> hi) = Vector512.Widen(Vector512.LoadUnsafe(ref x, (nuint)i));
                int h = Vector512<ushort>.Count, u = Vector512<uint>.Count;
                (Vector512.LoadUnsafe(ref s, (nuint)i) + lo).StoreUnsafe(ref s, (nuint)i);
                (Vector512.LoadUnsafe(ref s, (nuint)(i + h)) + hi).StoreUnsafe(ref s, (nuint)(i + h));
                (Vector512<uint> q0, Vector512<uint> q1) = Vector512.Widen(lo * lo);
                (Vector512<uint> q2, Vector512<uint> q3) = Vector512.Widen(hi * hi);
                (Vector512.LoadUnsafe(ref q, (nuint)i) + q0).StoreUnsafe(ref q, (nuint)i);
                (Vector512.LoadUnsafe(ref q, (nuint)(i + u)) + q1).StoreUnsafe(ref q, (nuint)(i + u));
                (Vector512.LoadUnsafe(ref q, (nuint)(i + 2 * u)) + q2).StoreUnsafe(ref q, (nuint)(i + 2 * u));
                (Vector512.LoadUnsafe(ref q, (nuint)(i + 3 * u)) + q3).StoreUnsafe(ref q, (nuint)(i + 3 * u));
            }
        if (width >= VectorWidth.V256)
            for (; i + Vector256<byte>.Count <= n; i += Vector256<byte>.Count)
            {
                (Vector256<ushort> lo, Vector256<ushort> hi) = Vector256.Widen(Vector256.LoadUnsafe(ref x, (nuint)i));
                int h = Vector256<ushort>.Count, u = Vector256<uint>.Count;
                (Vector256.LoadUnsafe(ref s, (nuint)i) + lo).StoreUnsafe(ref s, (nuint)i);
                (Vector256.LoadUnsafe(ref s, (nuint)(i + h)) + hi).StoreUnsafe(ref s, (nuint)(i + h));
                (Vector256<uint> q0, Vector256<uint> q1) = Vector256.Widen(lo * lo);
                (Vector256<uint> q2, Vector256<uint> q3) = Vector256.Widen(hi * hi);
                (Vector256.LoadUnsafe(ref q, (nuint)i) + q0).StoreUnsafe(ref q, (nuint)i);
                (Vector256.LoadUnsafe(ref q, (nuint)(i + u)) + q1).StoreUnsafe(ref q, (nuint)(i + u));
                (Vector256.LoadUnsafe(ref q, (nuint)(i + 2 * u)) + q2).StoreUnsafe(ref q, (nuint)(i + 2 * u));
                (Vector256.LoadUnsafe(ref q, (nuint)(i + 3 * u)) + q3).StoreUnsafe(ref q, (nuint)(i + 3 * u));
            }
        if (width >= VectorWidth.V128)
            for (; i + Vector128<byte>.Count <= n; i += Vector128<byte>.Count)
            {
                (Vector128<ushort> lo, Vector128<ushort> hi) = Vector128.Widen(Vector128.LoadUnsafe(ref x, (nuint)i));
                int h = Vector128<ushort>.Count, u = Vector128<uint>.Count;
                (Vector128.LoadUnsafe(ref s, (nuint)i) + lo).StoreUnsafe(ref s, (nuint)i);
                (Vector128.LoadUnsafe(ref s, (nuint)(i + h)) + hi).StoreUnsafe(ref s, (nuint)(i + h));
                (Vector128<uint> q0, Vector128<uint> q1) = Vector128.Widen(lo * lo);
                (Vector128<uint> q2, Vector128<uint> q3) = Vector128.Widen(hi * hi);
                (Vector128.LoadUnsafe(ref q, (nuint)i) + q0).StoreUnsafe(ref q, (nuint)i);
                (Vector128.LoadUnsafe(ref q, (nuint)(i + u)) + q1).StoreUnsafe(ref q, (nuint)(i + u));
                (Vector128.LoadUnsafe(ref q, (nuint)(i + 2 * u)) + q2).StoreUnsafe(ref q, (nuint)(i + 2 * u));
                (Vector128.LoadUnsafe(ref q, (nuint)(i + 3 * u)) + q3).StoreUnsafe(ref q, (nuint)(i + 3 * u));
            }
        for (; i < n; i++)
        {
            uint v = Unsafe.Add(ref x, i);
            Unsafe.Add(ref s, i) += (ushort)v;
            Unsafe.Add(ref q, i) += v * v;
        }
    }

    /// <summary>The textbook formula every path is tested against.</summary>
    public static void AccumulateScalarReference(ReadOnlySpan<byte> row, Span<ushort> sums, Span<uint> squares)
    {
        for (int i = 0; i < row.Length; i++)
        {
            sums[i] += row[i];
            squares[i] += (uint)(row[i] * row[i]);
        }
    }

    /// <summary>sums[i] += sums[i + shift], squares[i] += squares[i + shift] for i &lt; length − shift, in
    /// increasing i (each element takes its right-hand partner's value from before the pass): with shifts of
    /// 1, 2 and 4 pixels the column sums become sums over 8 pixels, per band, at every position. A vector
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
