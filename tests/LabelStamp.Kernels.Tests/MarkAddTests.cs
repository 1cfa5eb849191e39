using LabelStamp.Kernels;

namespace LabelStamp.Kernels.Tests;

public class MarkAddTests
{
    public static TheoryData<VectorWidth> Widths => new() { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512 };

    private static IEnumerable<int> Lengths() => Enumerable.Range(1, 67).Append(1023);

    [Theory]
    [MemberData(nameof(Widths))]
    public void Equals_scalar_reference_at_odd_lengths_and_misaligned_offsets(VectorWidth width)
    {
        var rng = new Random(11);
        foreach (int n in Lengths())
            for (int offset = 0; offset <= 3; offset++)
            {
                byte[] pixels = new byte[n + offset], tile = new byte[n + offset], gain = new byte[n + offset];
                rng.NextBytes(pixels); rng.NextBytes(tile); rng.NextBytes(gain);
                // Include the extremes that exercise the clamp and the most negative tile value.
                pixels[offset] = 0; tile[offset] = 0x80; gain[offset] = 255;
                if (n > 1) { pixels[offset + 1] = 255; tile[offset + 1] = 127; gain[offset + 1] = 255; }
                byte[] expected = (byte[])pixels.Clone();
                MarkAdd.RowScalarReference(expected.AsSpan(offset), tile.AsSpan(offset), gain.AsSpan(offset));
                MarkAdd.Row(pixels.AsSpan(offset), tile.AsSpan(offset), gain.AsSpan(offset), width);
                Assert.Equal(expected, pixels);
            }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Deltas_then_AddDeltas_equal_the_scalar_reference_at_odd_lengths_and_misaligned_offsets(VectorWidth width)
    {
        var rng = new Random(13);
        foreach (int n in Lengths())
            for (int offset = 0; offset <= 3; offset++)
            {
                byte[] pixels = new byte[n + offset], tile = new byte[n + offset], gain = new byte[n + offset], deltas = new byte[n + offset];
                rng.NextBytes(pixels); rng.NextBytes(tile); rng.NextBytes(gain);
                // The extremes: the most negative tile value at full gain (d = −127), white and black under ±chips.
                pixels[offset] = 0; tile[offset] = 0x80; gain[offset] = 255;
                if (n > 1) { pixels[offset + 1] = 255; tile[offset + 1] = 127; gain[offset + 1] = 255; }
                if (n > 2) { pixels[offset + 2] = 255; tile[offset + 2] = 0x81; gain[offset + 2] = 200; }
                byte[] expected = (byte[])pixels.Clone();
                MarkAdd.RowScalarReference(expected.AsSpan(offset), tile.AsSpan(offset), gain.AsSpan(offset));
                MarkAdd.Deltas(tile.AsSpan(offset), gain.AsSpan(offset), deltas.AsSpan(offset), width);
                MarkAdd.AddDeltas(pixels.AsSpan(offset), deltas.AsSpan(offset), width);
                Assert.Equal(expected, pixels);
            }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void One_delta_row_serves_every_row_it_is_added_to(VectorWidth width)
    {
        // As the embedder uses it: the deltas of a chip row made once, added to four different image rows.
        var rng = new Random(17);
        const int n = 3 * 257;
        byte[] tile = new byte[n], gain = new byte[n], deltas = new byte[n];
        for (int i = 0; i < n; i++) { tile[i] = (byte)(sbyte)(rng.Next(2) == 0 ? 127 : -127); gain[i] = (byte)rng.Next(0, 40); }
        MarkAdd.Deltas(tile, gain, deltas, width);
        for (int row = 0; row < 4; row++)
        {
            byte[] pixels = new byte[n];
            rng.NextBytes(pixels);
            byte[] expected = (byte[])pixels.Clone();
            MarkAdd.Row(expected, tile, gain, VectorWidth.Scalar);
            MarkAdd.AddDeltas(pixels, deltas, width);
            Assert.Equal(expected, pixels);
        }
    }

    [Fact]
    public void Zero_gain_leaves_pixels_untouched()
    {
        byte[] pixels = Enumerable.Range(0, 100).Select(i => (byte)(i * 3)).ToArray();
        byte[] copy = (byte[])pixels.Clone();
        MarkAdd.Row(pixels, Enumerable.Repeat((byte)127, 100).ToArray(), new byte[100]);
        Assert.Equal(copy, pixels);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void White_keeps_the_full_chip_swing_and_black_is_clipped(VectorWidth width)
    {
        // gain 128: d = (127·128 + 128) >> 8 = 64 for a + chip, (−127·128 + 128) >> 8 = −63 for a − chip.
        byte[] tile = Enumerable.Range(0, 70).Select(i => (byte)(sbyte)(i % 2 == 0 ? 127 : -127)).ToArray();
        byte[] gain = Enumerable.Repeat((byte)128, 70).ToArray();
        byte[] white = Enumerable.Repeat((byte)255, 70).ToArray(), black = new byte[70];
        MarkAdd.Row(white, tile, gain, width);
        MarkAdd.Row(black, tile, gain, width);
        for (int i = 0; i < 70; i++)
        {
            Assert.Equal(i % 2 == 0 ? 255 : 129, white[i]);   // pulled to 255 − |d| first: a 126-level swing, not 63
            Assert.Equal(i % 2 == 0 ? 64 : 0, black[i]);      // black is not lifted (SSIM), the − chip clips
        }
    }
}
