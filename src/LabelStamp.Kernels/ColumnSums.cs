using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>
/// The first half of a box reduction of a luma plane: sums[i] += row[i], bytes widened to ushort, so that D
/// rows added into one accumulator give each column's sum over a band of D rows; the caller then adds D
/// neighbouring columns. Video motion tracking reduces every 1080p frame by 8 before its phase correlation,
/// and the row adds are the only part that touches every sample (≈ 2 M a frame), so they are the part worth
/// a vector loop; the column step touches one sample in D. The video mark's frame means are the same add over a
/// whole luma plane (≤ 120 frames a sum: the stamp's check of its frames and verify). Written once over the integer lanes
/// (<see cref="IUInt16Lanes{TSelf, TWide}"/>); integer adds, so every width gives the scalar result to the
/// bit as long as the caller keeps the sums within a ushort (≤ 257 rows of bytes).
/// </summary>
public static class ColumnSums
{
    /// <summary>sums[i] += row[i] for i &lt; row.Length (wrapping at 65 536, as the reference).</summary>
    public static void Accumulate(ReadOnlySpan<byte> row, Span<ushort> sums, VectorWidth width = VectorWidth.Auto)
    {
        int n = row.Length;
        if (sums.Length < n) throw new ArgumentException("The column sums are shorter than the row.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref byte r = ref MemoryMarshal.GetReference(row);
        ref ushort s = ref MemoryMarshal.GetReference(sums);
        int i = 0;
        if (width == VectorWidth.V512) i = Body<UInt16Lanes512, UInt32Lanes512>(ref r, ref s, i, n);
        if (width >= VectorWidth.V256) i = Body<UInt16Lanes256, UInt32Lanes256>(ref r, ref s, i, n);
        if (width >= VectorWidth.V128) i = Body<UInt16Lanes128, UInt32Lanes128>(ref r, ref s, i, n);
        for (; i < n; i++) Unsafe.Add(ref s, i) += Unsafe.Add(ref r, i);
    }

    /// <summary>The textbook loop <see cref="Accumulate"/> is tested against.</summary>
    public static void AccumulateScalarReference(ReadOnlySpan<byte> row, Span<ushort> sums)
    {
        for (int i = 0; i < row.Length; i++) sums[i] = (ushort)(sums[i] + row[i]);
    }

    /// <summary>Whole vectors of 2 · T16.Count bytes from <paramref name="i"/>; returns where it stopped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int Body<T16, T32>(ref byte r, ref ushort s, int i, int n)
        where T16 : struct, IUInt16Lanes<T16, T32>
        where T32 : struct, IUInt32Lanes<T32>
    {
        int step = 2 * T16.Count;
        nuint h = (nuint)T16.Count;
        for (; i + step <= n; i += step)
        {
            var at = (nuint)i;
            (T16 lo, T16 hi) = T16.LoadWidened(ref r, at);
            T16.Store(T16.Load(ref s, at) + lo, ref s, at);
            T16.Store(T16.Load(ref s, at + h) + hi, ref s, at + h);
        }
        return i;
    }
}
