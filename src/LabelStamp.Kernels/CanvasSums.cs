using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>
/// One row of a frame added onto a row of a registered canvas: sums[i] += row[i] (the byte as a float) and counts[i] += 1.
/// Verify's registered read of the content-locked video mark places every sampled frame of a file on its canvas this way,
/// 0.5-2 M samples a frame at 540p-1080p, where the scalar loop cost 1-2.9 ms a frame and canvas (bench/VIDEO.md round 16).
/// Exact at every width: each lane does the scalar loop's one float add of one byte to one sum (a byte converts to float
/// exactly, nothing is reassociated), and the counts are integer adds, wrapping at 65,536 as the reference does (the canvas
/// takes at most 65,535 frames). Written once over the lanes (<see cref="IFloatLanes{TSelf}"/>, <see cref="IUInt16Lanes{TSelf, TWide}"/>).
/// </summary>
public static class CanvasSums
{
    /// <summary>sums[i] += row[i] and counts[i] += 1 for i &lt; row.Length.</summary>
    public static void Add(ReadOnlySpan<byte> row, Span<float> sums, Span<ushort> counts, VectorWidth width = VectorWidth.Auto)
    {
        int n = row.Length;
        if (sums.Length < n || counts.Length < n) throw new ArgumentException("The canvas row is shorter than the frame row.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref byte r = ref MemoryMarshal.GetReference(row);
        ref float s = ref MemoryMarshal.GetReference(sums);
        ref ushort c = ref MemoryMarshal.GetReference(counts);
        int i = 0, j = 0;
        if (width == VectorWidth.V512) (i, j) = (SumBody<Lanes512>(ref r, ref s, i, n), CountBody<UInt16Lanes512, UInt32Lanes512>(ref c, j, n));
        if (width >= VectorWidth.V256) (i, j) = (SumBody<Lanes256>(ref r, ref s, i, n), CountBody<UInt16Lanes256, UInt32Lanes256>(ref c, j, n));
        if (width >= VectorWidth.V128) (i, j) = (SumBody<Lanes128>(ref r, ref s, i, n), CountBody<UInt16Lanes128, UInt32Lanes128>(ref c, j, n));
        // The counts' vectors hold twice the sums' lanes, so the two bodies stop at different places; the rest in one loop
        // (the whole row when intrinsics are off: one pass, as the loop this replaced).
        for (; i < j; i++) Unsafe.Add(ref s, i) += Unsafe.Add(ref r, i);
        for (; j < i; j++) Unsafe.Add(ref c, j)++;
        if (i < n) AddScalarReference(row[i..], sums[i..], counts[i..]);
    }

    /// <summary>The textbook loop <see cref="Add"/> is tested against.</summary>
    public static void AddScalarReference(ReadOnlySpan<byte> row, Span<float> sums, Span<ushort> counts)
    {
        for (int i = 0; i < row.Length; i++)
        {
            sums[i] += row[i];
            counts[i]++;
        }
    }

    /// <summary>Whole vectors of T.Count samples from <paramref name="i"/>; returns where it stopped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int SumBody<T>(ref byte r, ref float s, int i, int n) where T : struct, IFloatLanes<T>
    {
        for (; i + T.Count <= n; i += T.Count)
        {
            var at = (nuint)i;
            T.Store(T.Load(ref s, at) + T.LoadConvertedBytes(ref r, at), ref s, at);
        }
        return i;
    }

    /// <summary>Whole vectors of T16.Count counts from <paramref name="i"/>; returns where it stopped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int CountBody<T16, T32>(ref ushort c, int i, int n)
        where T16 : struct, IUInt16Lanes<T16, T32>
        where T32 : struct, IUInt32Lanes<T32>
    {
        var one = T16.Create(1);
        for (; i + T16.Count <= n; i += T16.Count)
        {
            var at = (nuint)i;
            T16.Store(T16.Load(ref c, at) + one, ref c, at);
        }
        return i;
    }
}
