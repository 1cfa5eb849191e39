using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels.Audio;

/// <summary>
/// A batch of polyphase FIR outputs: output[k] = Σ_j input[starts[k] + j] · table[offsets[k] + j] for
/// j &lt; taps, each one equal bit for bit to <see cref="DotProduct.Of"/> over the same spans (the same
/// lane order and tree fold on every width; see there). Why a batch: the resampler produced one output
/// per <see cref="DotProduct.Of"/> call, and with 16–32 taps the call, its checks and the width switch
/// cost about as much as the arithmetic (≈ 35 ns per output measured, half of the mark's time on a
/// 44.1 kHz stereo file); here the switch is taken once per batch and the loop over outputs stays in
/// registers. Taps that are not whole blocks of 16 take <see cref="DotProduct.Of"/> per output.
/// </summary>
public static class PolyphaseFir
{
    private const int Lanes = 16;

    public static void Apply(ReadOnlySpan<float> input, ReadOnlySpan<float> table, int taps, ReadOnlySpan<int> starts, ReadOnlySpan<int> offsets,
        Span<float> output, VectorWidth width = VectorWidth.Auto)
    {
        int count = output.Length;
        if (starts.Length < count || offsets.Length < count) throw new ArgumentException("one start and one table offset per output");
        if (taps <= 0) throw new ArgumentOutOfRangeException(nameof(taps));
        // Every read is checked up front: the loops below load without bounds checks.
        for (int k = 0; k < count; k++)
        {
            if ((uint)starts[k] > (uint)(input.Length - taps) || (uint)offsets[k] > (uint)(table.Length - taps))
                throw new ArgumentOutOfRangeException(nameof(starts), $"output {k} reads past its input or table");
        }
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        if (width == VectorWidth.Scalar)
        {
            for (int k = 0; k < count; k++) output[k] = DotProduct.OfScalarReference(input.Slice(starts[k], taps), table.Slice(offsets[k], taps));
            return;
        }
        if (taps % Lanes != 0)
        {
            for (int k = 0; k < count; k++) output[k] = DotProduct.Of(input.Slice(starts[k], taps), table.Slice(offsets[k], taps), width);
            return;
        }
        ref float x0 = ref MemoryMarshal.GetReference(input);
        ref float h0 = ref MemoryMarshal.GetReference(table);
        switch (width)
        {
            case VectorWidth.V512:
                for (int k = 0; k < count; k++)
                {
                    ref float x = ref Unsafe.Add(ref x0, starts[k]);
                    ref float h = ref Unsafe.Add(ref h0, offsets[k]);
                    var a = Vector512<float>.Zero;
                    for (int i = 0; i < taps; i += Lanes)
                        a += Vector512.LoadUnsafe(ref x, (nuint)i) * Vector512.LoadUnsafe(ref h, (nuint)i);
                    var t = a.GetLower() + a.GetUpper();
                    output[k] = Fold(t.GetLower() + t.GetUpper());
                }
                break;
            case VectorWidth.V256:
                for (int k = 0; k < count; k++)
                {
                    ref float x = ref Unsafe.Add(ref x0, starts[k]);
                    ref float h = ref Unsafe.Add(ref h0, offsets[k]);
                    Vector256<float> a0 = Vector256<float>.Zero, a1 = Vector256<float>.Zero;
                    for (int i = 0; i < taps; i += Lanes)
                    {
                        a0 += Vector256.LoadUnsafe(ref x, (nuint)i) * Vector256.LoadUnsafe(ref h, (nuint)i);
                        a1 += Vector256.LoadUnsafe(ref x, (nuint)(i + 8)) * Vector256.LoadUnsafe(ref h, (nuint)(i + 8));
                    }
                    var t = a0 + a1;
                    output[k] = Fold(t.GetLower() + t.GetUpper());
                }
                break;
            default:
                for (int k = 0; k < count; k++)
                {
                    ref float x = ref Unsafe.Add(ref x0, starts[k]);
                    ref float h = ref Unsafe.Add(ref h0, offsets[k]);
                    Vector128<float> a0 = Vector128<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
                    for (int i = 0; i < taps; i += Lanes)
                    {
                        a0 += Vector128.LoadUnsafe(ref x, (nuint)i) * Vector128.LoadUnsafe(ref h, (nuint)i);
                        a1 += Vector128.LoadUnsafe(ref x, (nuint)(i + 4)) * Vector128.LoadUnsafe(ref h, (nuint)(i + 4));
                        a2 += Vector128.LoadUnsafe(ref x, (nuint)(i + 8)) * Vector128.LoadUnsafe(ref h, (nuint)(i + 8));
                        a3 += Vector128.LoadUnsafe(ref x, (nuint)(i + 12)) * Vector128.LoadUnsafe(ref h, (nuint)(i + 12));
                    }
                    output[k] = Fold((a0 + a2) + (a1 + a3));
                }
                break;
        }
    }

    /// <summary>The last two levels of the tree: (u0 + u2) + (u1 + u3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Fold(Vector128<float> u) => (u.GetElement(0) + u.GetElement(2)) + (u.GetElement(1) + u.GetElement(3));
}
