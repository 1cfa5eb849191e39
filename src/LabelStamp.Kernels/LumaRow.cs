using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>
/// Rec. 601 luma of one row of interleaved 8-bit RGB or RGBA pixels, 0.299 R + 0.587 G + 0.114 B in float, added
/// in that order: the image-mark detector's first step over its whole analysed region (a quarter of a 2 MP
/// self-check, measured in bench/WATERMARK.md, eighth step). Four pixels per 128-bit vector, whatever the width
/// asked for: RGBA pixels are 32-bit lanes already (shift and mask), RGB ones take a byte shuffle per channel,
/// and a wider shuffle would have to cross 128-bit lanes, which x86 does not do in one instruction. The products and sums are
/// those of <see cref="ScalarReference"/>, so every width gives its values to the bit.
/// </summary>
public static class LumaRow
{
    private const float Red = 0.299f, Green = 0.587f, Blue = 0.114f;

    /// <summary>luma[x] = 0.299 R + 0.587 G + 0.114 B of pixel x of <paramref name="pixels"/> (bands 3 or 4,
    /// alpha ignored), for x in [0, luma.Length).</summary>
    public static void FromColour(ReadOnlySpan<byte> pixels, int bands, Span<float> luma, VectorWidth width = VectorWidth.Auto)
    {
        if (bands is not (3 or 4) || pixels.Length < luma.Length * bands)
            throw new ArgumentException("Luma rows: 3 or 4 bands and a pixel for every output.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        int x = 0;
        if (width != VectorWidth.Scalar && Vector128.IsHardwareAccelerated)
            x = bands == 3 ? Vectors3(pixels, luma) : Vectors4(pixels, luma);
        for (; x < luma.Length; x++)
        {
            int r = x * bands;
            luma[x] = Red * pixels[r] + Green * pixels[r + 1] + Blue * pixels[r + 2];
        }
    }

    /// <summary>The loop every width is tested against.</summary>
    public static void ScalarReference(ReadOnlySpan<byte> pixels, int bands, Span<float> luma)
    {
        for (int x = 0; x < luma.Length; x++)
            luma[x] = 0.299f * pixels[x * bands] + 0.587f * pixels[x * bands + 1] + 0.114f * pixels[x * bands + 2];
    }

    // Shuffle indices ≥ 16 give 0, so each channel's byte lands in the low byte of a 32-bit lane. The indices are
    // written out in each call: the JIT emits one byte shuffle only for indices it sees as constants.

    /// <summary>Whole groups of four RGB pixels while a 16-byte load stays inside the row; returns the first pixel not done.</summary>
    private static int Vectors3(ReadOnlySpan<byte> pixels, Span<float> luma)
    {
        ref byte p = ref MemoryMarshal.GetReference(pixels);
        ref float l = ref MemoryMarshal.GetReference(luma);
        Vector128<float> wr = Vector128.Create(Red), wg = Vector128.Create(Green), wb = Vector128.Create(Blue);
        int n = luma.Length, x = 0;
        for (; x + 4 <= n && x * 3 + 16 <= pixels.Length; x += 4)
        {
            Vector128<byte> v = Vector128.LoadUnsafe(ref p, (nuint)(x * 3));
            Vector128<float> r = Vector128.ConvertToSingle(Vector128.Shuffle(v,
                Vector128.Create((byte)0, 255, 255, 255, 3, 255, 255, 255, 6, 255, 255, 255, 9, 255, 255, 255)).AsInt32());
            Vector128<float> g = Vector128.ConvertToSingle(Vector128.Shuffle(v,
                Vector128.Create((byte)1, 255, 255, 255, 4, 255, 255, 255, 7, 255, 255, 255, 10, 255, 255, 255)).AsInt32());
            Vector128<float> b = Vector128.ConvertToSingle(Vector128.Shuffle(v,
                Vector128.Create((byte)2, 255, 255, 255, 5, 255, 255, 255, 8, 255, 255, 255, 11, 255, 255, 255)).AsInt32());
            (wr * r + wg * g + wb * b).StoreUnsafe(ref l, (nuint)x);
        }
        return x;
    }

    /// <summary>Whole groups of four RGBA pixels (alpha ignored); returns the first pixel not done.</summary>
    private static int Vectors4(ReadOnlySpan<byte> pixels, Span<float> luma)
    {
        ref byte p = ref MemoryMarshal.GetReference(pixels);
        ref float l = ref MemoryMarshal.GetReference(luma);
        Vector128<float> wr = Vector128.Create(Red), wg = Vector128.Create(Green), wb = Vector128.Create(Blue);
        Vector128<int> low = Vector128.Create(0xff);
        int n = luma.Length, x = 0;
        for (; x + 4 <= n; x += 4)
        {
            // Four pixels are four 32-bit lanes already: the channels are shifts and a mask.
            Vector128<int> v = Vector128.LoadUnsafe(ref p, (nuint)(x * 4)).AsInt32();
            Vector128<float> r = Vector128.ConvertToSingle(v & low);
            Vector128<float> g = Vector128.ConvertToSingle((v >>> 8) & low);
            Vector128<float> b = Vector128.ConvertToSingle((v >>> 16) & low);
            (wr * r + wg * g + wb * b).StoreUnsafe(ref l, (nuint)x);
        }
        return x;
    }
}
