using LabelStamp.Kernels;

namespace LabelStamp.Kernels.Tests;

/// <summary>
/// <see cref="HeadroomClasses"/> at every width against its per-sample reference: odd row lengths (partial last
/// group, tails narrower than every vector), misaligned starts, 1 to 31 rows, counted masks that skip bytes, and
/// rows near white (the class boundaries 239/240 and 255) next to dark ones, so both clean and near groups occur.
/// A group flagged clean stands for zero counts, so the comparison is of the counts each output stands for.
/// </summary>
public class HeadroomClassesTests
{
    public static TheoryData<VectorWidth> Widths => new() { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512 };

    public static TheoryData<VectorWidth, int> WidthsAndClasses()
    {
        var data = new TheoryData<VectorWidth, int>();
        foreach (VectorWidth width in new[] { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512 })
            foreach (int classes in new[] { HeadroomClasses.HalfClasses, HeadroomClasses.Classes })
                data.Add(width, classes);
        return data;
    }

    /// <summary>Both depths: all sixteen classes, and headroom 0-7 alone (near from 248; the 247/248 boundary falls
    /// inside the near-white runs).</summary>
    [Theory]
    [MemberData(nameof(WidthsAndClasses))]
    public void Counts_what_the_reference_counts_at_odd_lengths_and_misaligned_offsets(VectorWidth width, int classes)
    {
        var rng = new Random(23);
        int nearGroups = 0, cleanGroups = 0;
        foreach (int rowBytes in Enumerable.Range(1, 140).Concat([255, 256, 257, 1023, 3072 + 5]))
            foreach (int rows in new[] { 1, 2, 7, 8, HeadroomClasses.MaxRows })
            {
                int offset = rng.Next(4), stride = rowBytes + rng.Next(3);
                byte[] data = new byte[offset + (rows - 1) * stride + rowBytes];
                // Runs of near-white (235-255, with 239/240 and 255 often) and of dark samples.
                for (int i = 0; i < data.Length; i++)
                    data[i] = (i / 37 + rows) % 4 == 0 ? (byte)rng.Next(235, 256) : (i / 37 + rows) % 4 == 1 ? (byte)255
                        : rng.Next(50) == 0 ? (byte)255 : (byte)rng.Next(0, 240);
                byte[] counted = new byte[rowBytes];
                int pattern = rng.Next(3);
                for (int i = 0; i < rowBytes; i++)
                    counted[i] = pattern == 0 || (pattern == 1 && i % 4 != 3) || (pattern == 2 && i % 6 >= 3 && i % 6 != 5) ? (byte)0xFF : (byte)0;
                int groups = (rowBytes + 7) / 8;
                ulong[] expectedLow = new ulong[groups], expectedHigh = new ulong[groups], low = new ulong[groups], high = new ulong[groups];
                byte[] expectedNear = new byte[groups], actualNear = new byte[groups];
                ReadOnlySpan<byte> span = data.AsSpan(offset);
                bool e = HeadroomClasses.CountScalarReference(span, stride, rows, rowBytes, counted, expectedLow, expectedHigh, expectedNear, classes);
                Array.Fill(low, 0xDEADUL);   // stale values a clean group must not be read for
                Array.Fill(high, 0xBEEFUL);
                bool a = HeadroomClasses.Count(span, stride, rows, rowBytes, counted, low, high, actualNear, width, classes);
                Assert.Equal(e, a);
                for (int g = 0; g < groups; g++)
                {
                    if (expectedNear[g] != 0) Assert.Equal(1, actualNear[g]);
                    Assert.Equal(expectedNear[g] != 0 ? expectedLow[g] : 0, actualNear[g] != 0 ? low[g] : 0);
                    Assert.Equal(expectedNear[g] != 0 ? expectedHigh[g] : 0, actualNear[g] != 0 ? high[g] : 0);
                    if (expectedNear[g] != 0) nearGroups++; else cleanGroups++;
                    if (classes == HeadroomClasses.HalfClasses) Assert.Equal(0UL, expectedHigh[g]);
                }
            }
        Assert.True(nearGroups > 1000 && cleanGroups > 1000, $"near {nearGroups}, clean {cleanGroups}");
    }

    [Fact]
    public void Half_count_leaves_240_to_247_uncounted_and_refuses_other_depths()
    {
        byte[] data = [240, 247, 248, 255, 244, 250, 0, 9];
        byte[] counted = Enumerable.Repeat((byte)0xFF, 8).ToArray();
        ulong[] low = new ulong[1], high = new ulong[1];
        byte[] near = new byte[1];
        Assert.True(HeadroomClasses.Count(data, 8, 1, 8, counted, low, high, near, VectorWidth.Scalar, HeadroomClasses.HalfClasses));
        // Headroom 0 (255), 5 (250), 7 (248): one each; 240, 244 and 247 are open at this depth.
        Assert.Equal(1UL | 1UL << 40 | 1UL << 56, low[0]);
        Assert.Equal(0UL, high[0]);
        byte[] dim = [240, 247, 200, 0, 241, 246, 9, 1];
        Assert.False(HeadroomClasses.Count(dim, 8, 1, 8, counted, low, high, near, VectorWidth.V256, HeadroomClasses.HalfClasses));
        Assert.Equal(0, near[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => HeadroomClasses.Count(data, 8, 1, 8, counted, low, high, near, VectorWidth.Scalar, 12));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void A_white_page_counts_every_counted_sample_at_headroom_zero(VectorWidth width)
    {
        const int rowBytes = 3 * 101, rows = 8;
        byte[] data = Enumerable.Repeat((byte)255, rows * rowBytes).ToArray();
        byte[] counted = Enumerable.Range(0, rowBytes).Select(i => i % 3 == 1 ? (byte)0 : (byte)0xFF).ToArray();
        int groups = (rowBytes + 7) / 8;
        ulong[] low = new ulong[groups], high = new ulong[groups];
        byte[] near = new byte[groups];
        Assert.True(HeadroomClasses.Count(data, rowBytes, rows, rowBytes, counted, low, high, near, width));
        ulong total = 0;
        for (int g = 0; g < groups; g++)
        {
            Assert.Equal(1, near[g]);
            total += low[g] & 0xFF;
            Assert.Equal(0UL, low[g] >> 8);
            Assert.Equal(0UL, high[g]);
        }
        Assert.Equal((ulong)(rows * 2 * 101), total);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Row_count_by_nibbles_counts_what_its_reference_counts_at_odd_lengths_and_misaligned_offsets(VectorWidth width)
    {
        var rng = new Random(29);
        int nearGroups = 0, cleanGroups = 0, mixedGroups = 0;
        foreach (int rowBytes in Enumerable.Range(0, 200).Concat([255, 256, 257, 1023, 3 * 1031, 4 * 1027]))
            foreach (int offset in new[] { 0, 1, 3, 5 })
            {
                byte[] data = new byte[offset + rowBytes];
                int kind = rng.Next(4);
                // Runs of near-white (235-255, 239/240 and 255 often), of white with a few 254, and of dark samples.
                for (int i = 0; i < data.Length; i++)
                    data[i] = (i / 29 + kind) % 4 == 0 ? (byte)rng.Next(235, 256) : (i / 29 + kind) % 4 == 1 ? (rng.Next(20) == 0 ? (byte)254 : (byte)255)
                        : (i / 29 + kind) % 4 == 2 && rng.Next(30) == 0 ? (byte)rng.Next(239, 241) : (byte)rng.Next(0, 240);
                byte[] counted = new byte[rowBytes];
                int pattern = rng.Next(3);
                for (int i = 0; i < rowBytes; i++)
                    counted[i] = pattern == 0 || (pattern == 1 && i % 8 is >= 4 and < 7) || (pattern == 2 && i % 6 >= 3) ? (byte)0xFF : (byte)0;
                int groups = (rowBytes + 7) / 8;
                ulong[] expected = new ulong[groups], actual = new ulong[groups];
                byte[] expectedNear = new byte[groups], actualNear = new byte[groups];
                ReadOnlySpan<byte> row = data.AsSpan(offset);
                bool e = HeadroomClasses.CountRowScalarReference(row, rowBytes, counted, expected, expectedNear);
                Array.Fill(actual, 0xDEADUL);   // stale values a clean group must not be read for
                Array.Fill(actualNear, (byte)7);
                bool a = HeadroomClasses.CountRow(row, rowBytes, counted, actual, actualNear, width);
                Assert.Equal(e, a);
                for (int g = 0; g < groups; g++)
                {
                    // A vector flags all its groups near when one is; a clean group's word is then 0.
                    Assert.True(actualNear[g] <= 1);
                    if (expectedNear[g] != 0) Assert.Equal(1, actualNear[g]);
                    Assert.Equal(expectedNear[g] != 0 ? expected[g] : 0, actualNear[g] != 0 ? actual[g] : 0);
                    if (expectedNear[g] == 0) { cleanGroups++; continue; }
                    nearGroups++;
                    if ((expected[g] & 0x0FFF_FFFF_FFFF_FFFFUL) != 0) mixedGroups++;
                }
            }
        Assert.True(nearGroups > 2000 && cleanGroups > 2000 && mixedGroups > 1000, $"near {nearGroups}, clean {cleanGroups}, below 255 {mixedGroups}");
    }

    [Fact]
    public void Row_reference_puts_each_value_in_its_own_nibble()
    {
        // One group: 240, 241, 241, 247, 255, 255, 255 and 239 (not near): nibbles 0, 1, 7 and 15.
        byte[] row = [240, 241, 241, 247, 255, 255, 255, 239];
        ulong[] nibbles = new ulong[1];
        byte[] near = new byte[1];
        Assert.True(HeadroomClasses.CountRowScalarReference(row, 8, Enumerable.Repeat((byte)0xFF, 8).ToArray(), nibbles, near));
        Assert.Equal(1, near[0]);
        Assert.Equal(1UL | 2UL << 4 | 1UL << 28 | 3UL << 60, nibbles[0]);
    }

    [Fact]
    public void Rows_beyond_the_byte_counters_are_refused()
    {
        byte[] data = new byte[64 * 40];
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            HeadroomClasses.Count(data, 64, HeadroomClasses.MaxRows + 1, 64, new byte[64], new ulong[8], new ulong[8], new byte[8]));
    }
}
