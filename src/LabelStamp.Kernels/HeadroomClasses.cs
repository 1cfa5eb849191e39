using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>
/// The image mark's headroom histogram (<c>HeadroomSamples</c> in the library), its per-sample half: for a few rows
/// of interleaved 8-bit samples, how many counted samples of each 8-byte column group sit at each headroom below
/// white, h = 255 − value for h = 0 … 15 (values 240-255). A sample is counted where its byte of
/// <c>counted</c> is 0xFF (colour samples, and in the sparse count only some pixels; alpha never).
/// <para>
/// Why a kernel: on a page of text saved as JPEG the paper is 240-255 noise, not 255, and classifying it one
/// sample at a time was most of a 1 MP embed (bench/WATERMARK.md, twelfth and thirteenth steps). Here each
/// class is one equality test per vector, added into byte counters down the rows (−1 per match, so the counter
/// counts up), and each counter vector is summed per 8-byte group once per call. A span of the rows whose
/// counted samples are all below 240 is recognised with one max test per row and its groups are flagged clean
/// instead (photos: almost every group). Integer counts, so every width gives the scalar result exactly.
/// </para>
/// </summary>
public static class HeadroomClasses
{
    /// <summary>Headroom classes counted: 0 … 15 (values 255 … 240).</summary>
    public const int Classes = 16;

    /// <summary>Bytes per column group.</summary>
    public const int Group = 8;

    /// <summary>At most this many rows per call, so a group's count (≤ 8 · rows) fits a byte lane.</summary>
    public const int MaxRows = 31;

    /// <summary>
    /// For each group g of <paramref name="rowBytes"/> bytes (g = 0 … ⌈rowBytes / 8⌉ − 1): near[g] = 0 when no counted
    /// sample of the group in any row is ≥ 240 (its counts are then not written and stand for zeros); otherwise
    /// near[g] = 1 and byte j of low[g] (of high[g]) is the number of counted samples of the group, over the rows, at
    /// headroom j (at headroom 8 + j), i.e. value 255 − j (247 − j). The rows are <paramref name="rowCount"/> rows
    /// <paramref name="stride"/> bytes apart from the start of <paramref name="rows"/>. Returns whether any group is
    /// flagged near. Packed per group, so a block's classes are the bytewise sum of its groups' two words (at most
    /// 8 · 31 per group, 192 per 8 × 8 block of three colour samples: no carry between bytes).
    /// <para>With <paramref name="classes"/> = <see cref="HalfClasses"/> only headroom 0-7 is counted (values 248-255):
    /// a group is near when it holds a counted sample at 248 or above, and its high word is 0 (samples at 240-247 are
    /// counted as open). Half the class tests, for a caller whose deltas never exceed 8 levels.</para>
    /// </summary>
    public static bool Count(ReadOnlySpan<byte> rows, int stride, int rowCount, int rowBytes, ReadOnlySpan<byte> counted,
        Span<ulong> low, Span<ulong> high, Span<byte> near, VectorWidth width = VectorWidth.Auto, int classes = Classes)
    {
        int groups = (rowBytes + Group - 1) / Group;
        Check(rows, stride, rowCount, rowBytes, counted, low, high, near, groups);
        CheckClasses(classes);
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref byte r = ref MemoryMarshal.GetReference(rows);
        ref byte m = ref MemoryMarshal.GetReference(counted);
        ref ulong lo = ref MemoryMarshal.GetReference(low);
        ref ulong hi = ref MemoryMarshal.GetReference(high);
        ref byte f = ref MemoryMarshal.GetReference(near);
        int i = 0;
        bool any = false;
        if (width == VectorWidth.V512) i = Body<ByteLanes512>(ref r, stride, rowCount, rowBytes, ref m, ref lo, ref hi, ref f, i, ref any, classes);
        if (width >= VectorWidth.V256) i = Body<ByteLanes256>(ref r, stride, rowCount, rowBytes, ref m, ref lo, ref hi, ref f, i, ref any, classes);
        if (width >= VectorWidth.V128) i = Body<ByteLanes128>(ref r, stride, rowCount, rowBytes, ref m, ref lo, ref hi, ref f, i, ref any, classes);
        for (int g = i / Group; g < groups; g++)
            any |= GroupScalar(rows, stride, rowCount, rowBytes, counted, low, high, near, g, classes);
        return any;
    }

    /// <summary>The classes of the half count: headroom 0-7, one packed word per group.</summary>
    public const int HalfClasses = 8;

    private static void CheckClasses(int classes)
    {
        if (classes is not (HalfClasses or Classes)) throw new ArgumentOutOfRangeException(nameof(classes), $"{HalfClasses} or {Classes} classes");
    }

    /// <summary>
    /// One row, packed by nibbles (the sparse count, where a group holds at most 8 counted samples): for each group g,
    /// near[g] as in <see cref="Count"/>, and when it is 1, nibble t of nibbles[g] (bits 4t … 4t + 3) is the number of
    /// counted samples of the group at value 240 + t (headroom 15 − t). A block's classes are then the sum of its groups'
    /// words while it holds at most 15 counted samples (the sparse count: 12). Returns whether any group is flagged near.
    /// </summary>
    public static bool CountRow(ReadOnlySpan<byte> row, int rowBytes, ReadOnlySpan<byte> counted, Span<ulong> nibbles, Span<byte> near,
        VectorWidth width = VectorWidth.Auto)
    {
        int groups = (rowBytes + Group - 1) / Group;
        CheckRow(row, rowBytes, counted, nibbles, near, groups);
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref byte r = ref MemoryMarshal.GetReference(row);
        ref byte m = ref MemoryMarshal.GetReference(counted);
        ref ulong n = ref MemoryMarshal.GetReference(nibbles);
        ref byte f = ref MemoryMarshal.GetReference(near);
        int i = 0;
        bool any = false;
        if (width == VectorWidth.V512) i = RowBody<ByteLanes512>(ref r, rowBytes, ref m, ref n, ref f, i, ref any);
        if (width >= VectorWidth.V256) i = RowBody<ByteLanes256>(ref r, rowBytes, ref m, ref n, ref f, i, ref any);
        if (width >= VectorWidth.V128) i = RowBody<ByteLanes128>(ref r, rowBytes, ref m, ref n, ref f, i, ref any);
        for (int g = i / Group; g < groups; g++)
            any |= RowGroupScalar(row, rowBytes, counted, nibbles, near, g);
        return any;
    }

    /// <summary>The per-sample reference of <see cref="CountRow"/>: every group flagged, and its nibbles written when near.</summary>
    public static bool CountRowScalarReference(ReadOnlySpan<byte> row, int rowBytes, ReadOnlySpan<byte> counted, Span<ulong> nibbles, Span<byte> near)
    {
        int groups = (rowBytes + Group - 1) / Group;
        CheckRow(row, rowBytes, counted, nibbles, near, groups);
        bool any = false;
        for (int g = 0; g < groups; g++) any |= RowGroupScalar(row, rowBytes, counted, nibbles, near, g);
        return any;
    }

    private static bool RowGroupScalar(ReadOnlySpan<byte> row, int rowBytes, ReadOnlySpan<byte> counted, Span<ulong> nibbles, Span<byte> near, int g)
    {
        ulong word = 0;
        bool found = false;
        for (int i = g * Group; i < Math.Min(rowBytes, g * Group + Group); i++)
        {
            int v = row[i] & counted[i];
            if (v < 256 - Classes) continue;
            word += 1UL << (4 * (v - (256 - Classes)));
            found = true;
        }
        near[g] = found ? (byte)1 : (byte)0;
        if (found) nibbles[g] = word;
        return found;
    }

    private static void CheckRow(ReadOnlySpan<byte> row, int rowBytes, ReadOnlySpan<byte> counted, Span<ulong> nibbles, Span<byte> near, int groups)
    {
        if (rowBytes < 0 || row.Length < rowBytes || counted.Length < rowBytes)
            throw new ArgumentException("The row or the counted mask is shorter than the span asked for.");
        if (nibbles.Length < groups || near.Length < groups) throw new ArgumentException("nibbles and near need one entry per group.");
    }

    /// <summary>Whole vectors of T from byte <paramref name="i"/> (a multiple of 8) of one row; returns where it stopped.
    /// Two values share a byte counter: value 240 + t matches the pair 2j = t &amp; ~1 and adds 1 (t even) or 16 (t odd),
    /// so a group's byte sum for pair j is its count of 240 + 2j in the low nibble and of 241 + 2j in the high one (≤ 8
    /// each). Eight pair tests and group sums per vector where <see cref="Count"/> takes sixteen of each (measured: the
    /// sparse count of a near-white 8 MP page 3.3-3.5 → 2.5-2.6 ms; bench/WATERMARK.md, sixteenth step). A span whose near samples are all
    /// 255 counts that one value alone, in the top nibble.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int RowBody<T>(ref byte r, int rowBytes, ref byte m, ref ulong n, ref byte f, int i, ref bool any)
        where T : struct, IByteLanes<T>
    {
        int step = T.Count, groupsPerVector = step / Group;
        T open = T.Create(256 - Classes), one = T.Create(1), white = T.Create(255), sixteen = T.Create(16), fifteen = T.Create(15);
        T pairOf = T.Create(0xFE);
        for (; i + step <= rowBytes; i += step)
        {
            T v = T.Load(ref r, (nuint)i) & T.Load(ref m, (nuint)i);
            bool found = T.AnyAtLeast(v, 256 - Classes);
            Unsafe.InitBlock(ref Unsafe.Add(ref f, i / Group), found ? (byte)1 : (byte)0, (uint)groupsPerVector);
            if (!found) continue;
            any = true;
            var g = (nuint)(i / Group);
            // v + 1 wraps 255 to 0, so only 240-254 reach 241 or more.
            if (!T.AnyAtLeast(v + one, 256 - Classes + 1))
            {
                T.StoreGroups(T.ShiftGroups(T.GroupSums(T.EqualMask(v, white) & sixteen), 7), ref n, g);
                continue;
            }
            // Uncounted bytes become 0, whose wrapped difference (16) is in no pair.
            T t = v - open;
            T pair = t & pairOf;
            T add = (T.EqualMask(t & one, one) & fifteen) + one;
            T packed = T.GroupSums(T.EqualMask(pair, default) & add)
                | T.ShiftGroups(T.GroupSums(T.EqualMask(pair, T.Create(2)) & add), 1)
                | T.ShiftGroups(T.GroupSums(T.EqualMask(pair, T.Create(4)) & add), 2)
                | T.ShiftGroups(T.GroupSums(T.EqualMask(pair, T.Create(6)) & add), 3)
                | T.ShiftGroups(T.GroupSums(T.EqualMask(pair, T.Create(8)) & add), 4)
                | T.ShiftGroups(T.GroupSums(T.EqualMask(pair, T.Create(10)) & add), 5)
                | T.ShiftGroups(T.GroupSums(T.EqualMask(pair, T.Create(12)) & add), 6)
                | T.ShiftGroups(T.GroupSums(T.EqualMask(pair, T.Create(14)) & add), 7);
            T.StoreGroups(packed, ref n, g);
        }
        return i;
    }

    /// <summary>The plain per-sample count every width is tested against: every group is flagged by whether it
    /// holds a counted sample at 256 − <paramref name="classes"/> or above, and its counts are written when it does.</summary>
    public static bool CountScalarReference(ReadOnlySpan<byte> rows, int stride, int rowCount, int rowBytes, ReadOnlySpan<byte> counted,
        Span<ulong> low, Span<ulong> high, Span<byte> near, int classes = Classes)
    {
        int groups = (rowBytes + Group - 1) / Group;
        Check(rows, stride, rowCount, rowBytes, counted, low, high, near, groups);
        CheckClasses(classes);
        bool any = false;
        for (int g = 0; g < groups; g++) any |= GroupScalar(rows, stride, rowCount, rowBytes, counted, low, high, near, g, classes);
        return any;
    }

    private static bool GroupScalar(ReadOnlySpan<byte> rows, int stride, int rowCount, int rowBytes, ReadOnlySpan<byte> counted,
        Span<ulong> low, Span<ulong> high, Span<byte> near, int g, int classes)
    {
        Span<int> n = stackalloc int[Classes];
        n.Clear();
        bool found = false;
        for (int y = 0; y < rowCount; y++)
            for (int i = g * Group; i < Math.Min(rowBytes, g * Group + Group); i++)
            {
                int v = rows[y * stride + i] & counted[i];
                if (v < 256 - classes) continue;
                n[255 - v]++;
                found = true;
            }
        near[g] = found ? (byte)1 : (byte)0;
        if (found)
        {
            ulong l = 0, h = 0;
            for (int j = 0; j < 8; j++)
            {
                l |= (ulong)n[j] << (8 * j);
                h |= (ulong)n[8 + j] << (8 * j);
            }
            low[g] = l;
            high[g] = h;
        }
        return found;
    }

    private static void Check(ReadOnlySpan<byte> rows, int stride, int rowCount, int rowBytes, ReadOnlySpan<byte> counted,
        Span<ulong> low, Span<ulong> high, Span<byte> near, int groups)
    {
        if (rowCount < 1 || rowCount > MaxRows) throw new ArgumentOutOfRangeException(nameof(rowCount), $"1 to {MaxRows} rows per call");
        if (rowBytes < 0 || (rowCount > 1 && stride < rowBytes)) throw new ArgumentOutOfRangeException(nameof(stride), "rows must not overlap");
        if (rows.Length < (long)(rowCount - 1) * stride + rowBytes || counted.Length < rowBytes)
            throw new ArgumentException("The rows or the counted mask are shorter than the span asked for.");
        if (low.Length < groups || high.Length < groups || near.Length < groups)
            throw new ArgumentException("low, high and near need one entry per group.");
    }

    /// <summary>Whole vectors of T from byte <paramref name="i"/> (a multiple of 8); returns where it stopped. A span
    /// whose near samples are all 255 (a white background) counts class 0 alone; otherwise the classes are counted in
    /// two halves of eight counter vectors, so each half stays in registers at every width (sixteen counters and the
    /// row vectors would not fit AVX2's sixteen registers).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int Body<T>(ref byte r, int stride, int rowCount, int rowBytes, ref byte m, ref ulong lo, ref ulong hi, ref byte f, int i, ref bool any,
        int classes)
        where T : struct, IByteLanes<T>
    {
        int step = T.Count, groupsPerVector = step / Group;
        T open = T.Create(256 - Classes), one = T.Create(1), white = T.Create(255);
        // A sample is near at 256 − classes and above; v + 1 of one below white at 257 − classes and above.
        byte nearLevel = (byte)(256 - classes), greyLevel = (byte)(257 - classes);
        for (; i + step <= rowBytes; i += step)
        {
            var at = (nuint)i;
            var g = (nuint)(i / Group);
            T mask = T.Load(ref m, at);
            // The rows' lane-wise maxima, tested once per vector instead of twice per row: on a photo almost no vector
            // is near, so these tests are most of what its count does. v + 1 wraps 255 to 0, so only 240-254 reach 241
            // or more.
            T highest = default, highestBelowWhite = default;
            for (int y = 0; y < rowCount; y++)
            {
                T v = T.Load(ref r, (nuint)(y * stride) + at) & mask;
                highest = T.Max(highest, v);
                highestBelowWhite = T.Max(highestBelowWhite, v + one);
            }
            bool found = T.AnyAtLeast(highest, nearLevel), grey = T.AnyAtLeast(highestBelowWhite, greyLevel);
            Unsafe.InitBlock(ref Unsafe.Add(ref f, i / Group), found ? (byte)1 : (byte)0, (uint)groupsPerVector);
            if (!found) continue;
            any = true;
            if (!grey)
            {
                T w = default;
                for (int y = 0; y < rowCount; y++) w -= T.EqualMask(T.Load(ref r, (nuint)(y * stride) + at) & mask, white);
                T.StoreGroups(T.GroupSums(w), ref lo, g);
                T.StoreGroups(default, ref hi, g);
                continue;
            }
            if (classes == HalfClasses) T.StoreGroups(default, ref hi, g);
            for (int half = 0; half < classes; half += 8)
            {
                // Headroom class k ⇔ value − 240 = 15 − k (mod 256): the wrapped difference is ≥ 16 for anything darker.
                T c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
                T k0 = T.Create((byte)(15 - half)), k1 = T.Create((byte)(14 - half)), k2 = T.Create((byte)(13 - half)), k3 = T.Create((byte)(12 - half));
                T k4 = T.Create((byte)(11 - half)), k5 = T.Create((byte)(10 - half)), k6 = T.Create((byte)(9 - half)), k7 = T.Create((byte)(8 - half));
                for (int y = 0; y < rowCount; y++)
                {
                    // Uncounted bytes become 0, whose wrapped difference (16) is in no class.
                    T t = (T.Load(ref r, (nuint)(y * stride) + at) & mask) - open;
                    c0 -= T.EqualMask(t, k0);
                    c1 -= T.EqualMask(t, k1);
                    c2 -= T.EqualMask(t, k2);
                    c3 -= T.EqualMask(t, k3);
                    c4 -= T.EqualMask(t, k4);
                    c5 -= T.EqualMask(t, k5);
                    c6 -= T.EqualMask(t, k6);
                    c7 -= T.EqualMask(t, k7);
                }
                T packed = T.GroupSums(c0) | T.ShiftGroups(T.GroupSums(c1), 1) | T.ShiftGroups(T.GroupSums(c2), 2) | T.ShiftGroups(T.GroupSums(c3), 3)
                    | T.ShiftGroups(T.GroupSums(c4), 4) | T.ShiftGroups(T.GroupSums(c5), 5) | T.ShiftGroups(T.GroupSums(c6), 6) | T.ShiftGroups(T.GroupSums(c7), 7);
                T.StoreGroups(packed, ref half == 0 ? ref lo : ref hi, g);
            }
        }
        return i;
    }
}
