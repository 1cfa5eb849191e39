using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LabelStamp.Kernels;

/// <summary>
/// The perceptual-mask kernel of the image watermark: local activity as summed absolute gradients
/// over groups of 8 interleaved samples. For group g,
/// sums[g] = Σ_{i = 8g}^{8g+7} |row[i + shift] − row[i]| + |below[i] − row[i]|, where shift is the
/// sample distance to the right-hand neighbour pixel (the band count). A sum of absolute differences
/// over 8 bytes is exactly what x86's PSADBW computes, so each vector of 16/32/64 bytes yields 2/4/8
/// group sums in two instructions; every width gives the scalar result to the bit (integer sums).
/// </summary>
public static class GradientActivity
{
    public const int Group = 8;

    /// <param name="row">The sampled row; needs sums.Length · 8 + shift samples.</param>
    /// <param name="below">The next image row; needs sums.Length · 8 samples.</param>
    public static void Groups(ReadOnlySpan<byte> row, ReadOnlySpan<byte> below, int shift, Span<ulong> sums,
        VectorWidth width = VectorWidth.Auto)
    {
        int groups = sums.Length, n = groups * Group;
        if (shift < 0 || row.Length < n + shift || below.Length < n)
            throw new ArgumentException("Activity rows are shorter than the groups requested.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref byte a = ref MemoryMarshal.GetReference(row);
        ref byte b = ref Unsafe.Add(ref a, shift);
        ref byte c = ref MemoryMarshal.GetReference(below);
        ref ulong o = ref MemoryMarshal.GetReference(sums);
        int i = 0;
        if (width == VectorWidth.V512 && Avx512BW.IsSupported)
            for (; i + 64 <= n; i += 64)
            {
                var x = Vector512.LoadUnsafe(ref a, (nuint)i);
                var s = Avx512BW.SumAbsoluteDifferences(x, Vector512.LoadUnsafe(ref b, (nuint)i))
                    + Avx512BW.SumAbsoluteDifferences(x, Vector512.LoadUnsafe(ref c, (nuint)i));
                s.AsUInt64().StoreUnsafe(ref o, (nuint)(i / Group));
            }
        if (width >= VectorWidth.V256 && Avx2.IsSupported)
            for (; i + 32 <= n; i += 32)
            {
                var x = Vector256.LoadUnsafe(ref a, (nuint)i);
                var s = Avx2.SumAbsoluteDifferences(x, Vector256.LoadUnsafe(ref b, (nuint)i))
                    + Avx2.SumAbsoluteDifferences(x, Vector256.LoadUnsafe(ref c, (nuint)i));
                s.AsUInt64().StoreUnsafe(ref o, (nuint)(i / Group));
            }
        if (width >= VectorWidth.V128 && Sse2.IsSupported)
            for (; i + 16 <= n; i += 16)
            {
                var x = Vector128.LoadUnsafe(ref a, (nuint)i);
                var s = Sse2.SumAbsoluteDifferences(x, Vector128.LoadUnsafe(ref b, (nuint)i))
                    + Sse2.SumAbsoluteDifferences(x, Vector128.LoadUnsafe(ref c, (nuint)i));
                s.AsUInt64().StoreUnsafe(ref o, (nuint)(i / Group));
            }
        for (; i < n; i += Group)
        {
            int s = 0;
            for (int k = i; k < i + Group; k++)
            {
                int x = Unsafe.Add(ref a, k);
                s += Math.Abs(Unsafe.Add(ref b, k) - x) + Math.Abs(Unsafe.Add(ref c, k) - x);
            }
            Unsafe.Add(ref o, i / Group) = (ulong)s;
        }
    }

    /// <summary>The textbook formula every path is tested against.</summary>
    public static void GroupsScalarReference(ReadOnlySpan<byte> row, ReadOnlySpan<byte> below, int shift, Span<ulong> sums)
    {
        for (int g = 0; g < sums.Length; g++)
        {
            ulong s = 0;
            for (int i = g * Group; i < (g + 1) * Group; i++)
                s += (ulong)(Math.Abs(row[i + shift] - row[i]) + Math.Abs(below[i] - row[i]));
            sums[g] = s;
        }
    }
}
