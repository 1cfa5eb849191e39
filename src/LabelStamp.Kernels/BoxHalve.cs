using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>
/// One row of a luma plane at half size: dest[x] = (a[2x] + a[2x + 1] + b[2x] + b[2x + 1] + 2) >> 2, the rounded mean of
/// each 2 × 2 block of two source rows. Verify's registered read registers and sums frames above 1920 × 1088 at half size
/// (<c>RegisteredCanvas</c>), and the scalar loop was ≈ 3 ms of a 4K frame's 4.2 ms placement (bench/VIDEO.md round 17).
/// Integer arithmetic (a block's sum ≤ 1,020 fits a ushort), so every width gives the scalar result exactly. Written once
/// over the integer lanes (<see cref="IUInt16Lanes{TSelf, TWide}"/>).
/// </summary>
public static class BoxHalve
{
    /// <summary>The half-size row of rows <paramref name="a"/> and <paramref name="b"/> into <paramref name="dest"/>
    /// (both rows at least 2 · dest.Length long).</summary>
    public static void Row(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> dest, VectorWidth width = VectorWidth.Auto)
    {
        int n = dest.Length;
        if (a.Length < 2 * n || b.Length < 2 * n) throw new ArgumentException("The source rows are shorter than twice the half-size row.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref byte ra = ref MemoryMarshal.GetReference(a);
        ref byte rb = ref MemoryMarshal.GetReference(b);
        ref byte d = ref MemoryMarshal.GetReference(dest);
        int i = 0;
        if (width == VectorWidth.V512) i = Body<UInt16Lanes512, UInt32Lanes512>(ref ra, ref rb, ref d, i, n);
        if (width >= VectorWidth.V256) i = Body<UInt16Lanes256, UInt32Lanes256>(ref ra, ref rb, ref d, i, n);
        if (width >= VectorWidth.V128) i = Body<UInt16Lanes128, UInt32Lanes128>(ref ra, ref rb, ref d, i, n);
        if (i < n) RowScalarReference(a[(2 * i)..], b[(2 * i)..], dest[i..]);
    }

    /// <summary>The textbook loop <see cref="Row"/> is tested against.</summary>
    public static void RowScalarReference(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> dest)
    {
        for (int x = 0; x < dest.Length; x++)
            dest[x] = (byte)((a[2 * x] + a[2 * x + 1] + b[2 * x] + b[2 * x + 1] + 2) >> 2);
    }

    /// <summary>2 · T16.Count outputs at a time (4 · T16.Count bytes of each row); returns where it stopped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int Body<T16, T32>(ref byte a, ref byte b, ref byte d, int i, int n)
        where T16 : struct, IUInt16Lanes<T16, T32>
        where T32 : struct, IUInt32Lanes<T32>
    {
        int step = 2 * T16.Count;
        var two = T16.Create(2);
        for (; i + step <= n; i += step)
        {
            var at = (nuint)(2 * i);
            var far = at + (nuint)step;
            (T16 a0, T16 a1) = T16.LoadWidened(ref a, at);
            (T16 a2, T16 a3) = T16.LoadWidened(ref a, far);
            (T16 b0, T16 b1) = T16.LoadWidened(ref b, at);
            (T16 b2, T16 b3) = T16.LoadWidened(ref b, far);
            T16 lower = T16.PairSums(a0 + b0, a1 + b1), upper = T16.PairSums(a2 + b2, a3 + b3);
            T16.StoreNarrowed(T16.ShiftRight(lower + two, 2), T16.ShiftRight(upper + two, 2), ref d, (nuint)i);
        }
        return i;
    }
}
