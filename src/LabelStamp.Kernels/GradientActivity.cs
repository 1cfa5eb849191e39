using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LabelStamp.Kernels;

/// <summary>
/// The perceptual-mask kernel of the image watermark: local activity as summed absolute gradients
/// over groups of 8 interleaved samples. For group g,
/// sums[g] = Σ_{i = 8g}^{8g+7} |row[i + shift] − row[i]| + |below[i] − row[i]|, where shift is the
/// sample distance to the right-hand neighbour pixel (the band count). Samples whose byte in the
/// 8-byte <c>sampleMask</c> is 0 (alpha in RGBA or grey+alpha rows) are left out: a glyph drawn only
/// in alpha must not raise the colour mask. A sum of absolute differences
/// over 8 bytes is exactly what x86's PSADBW computes, so each vector of 16/32/64 bytes yields 2/4/8
/// group sums in two instructions; without it (ARM64) a portable Vector128 path sums the same groups. Every
/// path gives the scalar result to the bit (integer sums).
/// </summary>
public static class GradientActivity
{
    public const int Group = 8;

    /// <param name="row">The sampled row; needs sums.Length · 8 + shift samples.</param>
    /// <param name="below">The next image row; needs sums.Length · 8 samples.</param>
    /// <param name="sampleMask">Per byte of each 8-sample group: 0xFF to count the sample, 0 to skip it
    /// (use <see cref="ColourMask"/>).</param>
    public static void Groups(ReadOnlySpan<byte> row, ReadOnlySpan<byte> below, int shift, Span<ulong> sums,
        ulong sampleMask = ulong.MaxValue, VectorWidth width = VectorWidth.Auto)
    {
        int groups = sums.Length, n = groups * Group;
        if (shift < 0 || row.Length < n + shift || below.Length < n)
            throw new ArgumentException("Activity rows are shorter than the groups requested.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref byte a = ref MemoryMarshal.GetReference(row);
        ref byte b = ref Unsafe.Add(ref a, shift);
        ref byte c = ref MemoryMarshal.GetReference(below);
        ref ulong o = ref MemoryMarshal.GetReference(sums);
        Sum(ref a, ref b, ref c, ref o, n, sampleMask, width, add: false);
    }

    /// <summary>
    /// The mask pass's two sampled row pairs of one row of blocks in one call: sums[g] = the <see cref="Groups"/> sum of
    /// (<paramref name="rowA"/>, <paramref name="belowA"/>) plus that of (<paramref name="rowB"/>, <paramref name="belowB"/>)
    /// for group g. The second pair is added in the same vector loops (one load and add of the first pair's sums per
    /// vector), so the per-block reduction after it (<see cref="SumBlocks"/>) reads one array, not two.
    /// </summary>
    public static void PairedGroups(ReadOnlySpan<byte> rowA, ReadOnlySpan<byte> belowA, ReadOnlySpan<byte> rowB, ReadOnlySpan<byte> belowB,
        int shift, Span<ulong> sums, ulong sampleMask = ulong.MaxValue, VectorWidth width = VectorWidth.Auto)
    {
        int n = sums.Length * Group;
        if (shift < 0 || rowA.Length < n + shift || belowA.Length < n || rowB.Length < n + shift || belowB.Length < n)
            throw new ArgumentException("Activity rows are shorter than the groups requested.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref ulong o = ref MemoryMarshal.GetReference(sums);
        ref byte a = ref MemoryMarshal.GetReference(rowA);
        Sum(ref a, ref Unsafe.Add(ref a, shift), ref MemoryMarshal.GetReference(belowA), ref o, n, sampleMask, width, add: false);
        ref byte d = ref MemoryMarshal.GetReference(rowB);
        Sum(ref d, ref Unsafe.Add(ref d, shift), ref MemoryMarshal.GetReference(belowB), ref o, n, sampleMask, width, add: true);
    }

    /// <summary>The reference <see cref="PairedGroups"/> is tested against: the two pairs' <see cref="GroupsScalarReference"/> sums added.</summary>
    public static void PairedGroupsScalarReference(ReadOnlySpan<byte> rowA, ReadOnlySpan<byte> belowA, ReadOnlySpan<byte> rowB,
        ReadOnlySpan<byte> belowB, int shift, Span<ulong> sums, ulong sampleMask = ulong.MaxValue)
    {
        ulong[] second = new ulong[sums.Length];
        GroupsScalarReference(rowA, belowA, shift, sums, sampleMask);
        GroupsScalarReference(rowB, belowB, shift, second, sampleMask);
        for (int g = 0; g < sums.Length; g++) sums[g] += second[g];
    }

    /// <summary>
    /// Per block of <paramref name="groupsPerBlock"/> consecutive groups, the sum of its groups' sums: blocks[b] =
    /// Σ groups[g] for b · k ≤ g &lt; min((b + 1) · k, groups.Length), 0 for a block past the last group. The mask's
    /// blocks are 8 pixels of 8 · bands samples, so k is the band count (1-4); the loop is unrolled per k with no bounds
    /// check (measured: the embedder's per-block loop, bounds-checked over each block's groups once per row pair, took about
    /// nine times the SAD kernel's own samples; bench/WATERMARK.md, fourteenth step). Integer sums, exact.
    /// </summary>
    public static void SumBlocks(ReadOnlySpan<ulong> groups, int groupsPerBlock, Span<uint> blocks)
    {
        int k = groupsPerBlock, n = groups.Length;
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(groupsPerBlock), "A block holds at least one group.");
        ref ulong g = ref MemoryMarshal.GetReference(groups);
        ref uint o = ref MemoryMarshal.GetReference(blocks);
        int whole = Math.Min(blocks.Length, n / k), b = 0;
        switch (k)
        {
            case 1:
                for (; b < whole; b++) Unsafe.Add(ref o, b) = (uint)Unsafe.Add(ref g, b);
                break;
            case 2:
                for (; b < whole; b++) Unsafe.Add(ref o, b) = (uint)(Unsafe.Add(ref g, 2 * b) + Unsafe.Add(ref g, 2 * b + 1));
                break;
            case 3:
                for (; b < whole; b++)
                {
                    ref ulong s = ref Unsafe.Add(ref g, 3 * b);
                    Unsafe.Add(ref o, b) = (uint)(s + Unsafe.Add(ref s, 1) + Unsafe.Add(ref s, 2));
                }
                break;
            case 4:
                for (; b < whole; b++)
                {
                    ref ulong s = ref Unsafe.Add(ref g, 4 * b);
                    Unsafe.Add(ref o, b) = (uint)(s + Unsafe.Add(ref s, 1) + (Unsafe.Add(ref s, 2) + Unsafe.Add(ref s, 3)));
                }
                break;
        }
        for (; b < blocks.Length; b++)
        {
            ulong s = 0;
            for (int i = b * k; i < Math.Min(n, (b + 1) * k); i++) s += groups[i];
            blocks[b] = (uint)s;
        }
    }

    /// <summary>The textbook loop <see cref="SumBlocks"/> is tested against.</summary>
    public static void SumBlocksScalarReference(ReadOnlySpan<ulong> groups, int groupsPerBlock, Span<uint> blocks)
    {
        for (int b = 0; b < blocks.Length; b++)
        {
            ulong s = 0;
            for (int i = b * groupsPerBlock; i < (b + 1) * groupsPerBlock && i < groups.Length; i++) s += groups[i];
            blocks[b] = (uint)s;
        }
    }

    /// <summary>o[g] = (or +=, when <paramref name="add"/>) the group sums of n samples at every width; one copy of the
    /// ISA loops for <see cref="Groups"/> and <see cref="PairedGroups"/>.</summary>
    private static void Sum(ref byte a, ref byte b, ref byte c, ref ulong o, int n, ulong sampleMask, VectorWidth width, bool add)
    {
        // Group starts are multiples of 8 and shift is a whole number of pixels, so one broadcast
        // pattern lines up with the samples of a, b and c alike (band counts 1, 2 and 4 divide 8).
        var m128 = Vector128.Create(sampleMask).AsByte();
        var m256 = Vector256.Create(sampleMask).AsByte();
        var m512 = Vector512.Create(sampleMask).AsByte();
        int i = 0;
        if (width == VectorWidth.V512 && Avx512BW.IsSupported)
            for (; i + 64 <= n; i += 64)
            {
                var x = Vector512.LoadUnsafe(ref a, (nuint)i) & m512;
                var s = (Avx512BW.SumAbsoluteDifferences(x, Vector512.LoadUnsafe(ref b, (nuint)i) & m512)
                    + Avx512BW.SumAbsoluteDifferences(x, Vector512.LoadUnsafe(ref c, (nuint)i) & m512)).AsUInt64();
                if (add) s += Vector512.LoadUnsafe(ref o, (nuint)(i / Group));
                s.StoreUnsafe(ref o, (nuint)(i / Group));
            }
        if (width >= VectorWidth.V256 && Avx2.IsSupported)
            for (; i + 32 <= n; i += 32)
            {
                var x = Vector256.LoadUnsafe(ref a, (nuint)i) & m256;
                var s = (Avx2.SumAbsoluteDifferences(x, Vector256.LoadUnsafe(ref b, (nuint)i) & m256)
                    + Avx2.SumAbsoluteDifferences(x, Vector256.LoadUnsafe(ref c, (nuint)i) & m256)).AsUInt64();
                if (add) s += Vector256.LoadUnsafe(ref o, (nuint)(i / Group));
                s.StoreUnsafe(ref o, (nuint)(i / Group));
            }
        if (width >= VectorWidth.V128 && Sse2.IsSupported)
            for (; i + 16 <= n; i += 16)
            {
                var x = Vector128.LoadUnsafe(ref a, (nuint)i) & m128;
                var s = (Sse2.SumAbsoluteDifferences(x, Vector128.LoadUnsafe(ref b, (nuint)i) & m128)
                    + Sse2.SumAbsoluteDifferences(x, Vector128.LoadUnsafe(ref c, (nuint)i) & m128)).AsUInt64();
                if (add) s += Vector128.LoadUnsafe(ref o, (nuint)(i / Group));
                s.StoreUnsafe(ref o, (nuint)(i / Group));
            }
        if (width >= VectorWidth.V128 && !Sse2.IsSupported && Vector128.IsHardwareAccelerated)
            i = Portable128(ref a, ref b, ref c, ref o, n, m128, add);
        ScalarTail(ref a, ref b, ref c, ref o, i, n, sampleMask, add);
    }

    /// <summary>The same sums without x86's PSADBW, in portable Vector128 operations (ARM64's NEON and any
    /// other accelerated 128-bit ISA): |p − q| as max − min per byte, widened to 16 bits, each 8-sample group
    /// summed across one vector. <see cref="Groups"/> takes this path where SSE2 is missing; public so the
    /// tests prove it on x86 as well.</summary>
    public static void GroupsPortable(ReadOnlySpan<byte> row, ReadOnlySpan<byte> below, int shift, Span<ulong> sums,
        ulong sampleMask = ulong.MaxValue)
    {
        int groups = sums.Length, n = groups * Group;
        if (shift < 0 || row.Length < n + shift || below.Length < n)
            throw new ArgumentException("Activity rows are shorter than the groups requested.");
        ref byte a = ref MemoryMarshal.GetReference(row);
        ref byte c = ref MemoryMarshal.GetReference(below);
        ref ulong o = ref MemoryMarshal.GetReference(sums);
        int i = Portable128(ref a, ref Unsafe.Add(ref a, shift), ref c, ref o, n, Vector128.Create(sampleMask).AsByte(), add: false);
        ScalarTail(ref a, ref Unsafe.Add(ref a, shift), ref c, ref o, i, n, sampleMask, add: false);
    }

    private static int Portable128(ref byte a, ref byte b, ref byte c, ref ulong o, int n, Vector128<byte> mask, bool add)
    {
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            var x = Vector128.LoadUnsafe(ref a, (nuint)i) & mask;
            var right = Vector128.LoadUnsafe(ref b, (nuint)i) & mask;
            var down = Vector128.LoadUnsafe(ref c, (nuint)i) & mask;
            (Vector128<ushort> r0, Vector128<ushort> r1) = Vector128.Widen(Vector128.Max(x, right) - Vector128.Min(x, right));
            (Vector128<ushort> d0, Vector128<ushort> d1) = Vector128.Widen(Vector128.Max(x, down) - Vector128.Min(x, down));
            ulong s0 = Vector128.Sum(r0 + d0), s1 = Vector128.Sum(r1 + d1);
            if (add) { s0 += Unsafe.Add(ref o, i / Group); s1 += Unsafe.Add(ref o, i / Group + 1); }
            Unsafe.Add(ref o, i / Group) = s0;
            Unsafe.Add(ref o, i / Group + 1) = s1;
        }
        return i;
    }

    private static void ScalarTail(ref byte a, ref byte b, ref byte c, ref ulong o, int i, int n, ulong sampleMask, bool add)
    {
        for (; i < n; i += Group)
        {
            int s = 0;
            for (int k = i; k < i + Group; k++)
            {
                int keep = (int)(sampleMask >> (8 * (k % Group))) & 0xFF;
                int x = Unsafe.Add(ref a, k) & keep;
                s += Math.Abs((Unsafe.Add(ref b, k) & keep) - x) + Math.Abs((Unsafe.Add(ref c, k) & keep) - x);
            }
            Unsafe.Add(ref o, i / Group) = (add ? Unsafe.Add(ref o, i / Group) : 0) + (ulong)s;
        }
    }

    /// <summary>The sample mask that counts colour and skips alpha for a pixel layout of
    /// <paramref name="bands"/> interleaved samples (alpha last when bands is 2 or 4).</summary>
    public static ulong ColourMask(int bands)
    {
        if (bands is not (2 or 4)) return ulong.MaxValue;
        ulong m = 0;
        for (int k = 0; k < Group; k++) if (k % bands != bands - 1) m |= 0xFFUL << (8 * k);
        return m;
    }

    /// <summary>The textbook formula every path is tested against.</summary>
    public static void GroupsScalarReference(ReadOnlySpan<byte> row, ReadOnlySpan<byte> below, int shift, Span<ulong> sums,
        ulong sampleMask = ulong.MaxValue)
    {
        for (int g = 0; g < sums.Length; g++)
        {
            ulong s = 0;
            for (int i = g * Group; i < (g + 1) * Group; i++)
            {
                if (((sampleMask >> (8 * (i % Group))) & 0xFF) == 0) continue;
                s += (ulong)(Math.Abs(row[i + shift] - row[i]) + Math.Abs(below[i] - row[i]));
            }
            sums[g] = s;
        }
    }
}
