namespace LabelStamp.Kernels.Tests;

/// <summary>The mask kernel on every width against its scalar reference (integer sums, so bit-exact),
/// on odd group counts, misaligned slices and every band layout's colour mask; the portable path (no
/// PSADBW, as on ARM64) too. Seed fixed (23).</summary>
public class GradientActivityTests
{
    public static TheoryData<VectorWidth> Widths => new() { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Equals_scalar_reference_at_odd_lengths_misaligned_offsets_and_every_mask(VectorWidth width) =>
        AssertEqualsReferenceInEveryCase((row, below, bands, sums, mask) => GradientActivity.Groups(row, below, bands, sums, mask, width));

    [Fact]
    public void Portable_path_equals_scalar_reference_at_odd_lengths_misaligned_offsets_and_every_mask() =>
        AssertEqualsReferenceInEveryCase(GradientActivity.GroupsPortable);

    private delegate void GroupsPath(ReadOnlySpan<byte> row, ReadOnlySpan<byte> below, int shift, Span<ulong> sums, ulong sampleMask);

    private static void AssertEqualsReferenceInEveryCase(GroupsPath path)
    {
        var rng = new Random(23);
        foreach (int bands in new[] { 1, 2, 3, 4 })
            foreach (int groups in Enumerable.Range(1, 21).Append(97).Append(240))
                for (int offset = 0; offset <= 3; offset++)
                {
                    byte[] row = new byte[groups * 8 + bands + offset], below = new byte[groups * 8 + offset];
                    rng.NextBytes(row); rng.NextBytes(below);
                    row[offset] = 0; below[offset] = 255;   // the largest difference a sample can add
                    row[^1] = 255; below[^1] = 0;           // and in the last group
                    ulong mask = GradientActivity.ColourMask(bands);
                    ulong[] expected = new ulong[groups], actual = new ulong[groups];
                    GradientActivity.GroupsScalarReference(row.AsSpan(offset), below.AsSpan(offset), bands, expected, mask);
                    path(row.AsSpan(offset), below.AsSpan(offset), bands, actual, mask);
                    Assert.Equal(expected, actual);
                }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Paired_groups_equal_the_two_pairs_reference_sums_added_at_odd_lengths_misaligned_offsets_and_every_mask(VectorWidth width)
    {
        var rng = new Random(29);
        foreach (int bands in new[] { 1, 2, 3, 4 })
            foreach (int groups in Enumerable.Range(1, 21).Append(97).Append(240))
                for (int offset = 0; offset <= 3; offset++)
                {
                    int n = groups * 8;
                    byte[] rowA = new byte[n + bands + offset], belowA = new byte[n + offset + 1];
                    byte[] rowB = new byte[n + bands + offset + 2], belowB = new byte[n + offset];
                    rng.NextBytes(rowA); rng.NextBytes(belowA); rng.NextBytes(rowB); rng.NextBytes(belowB);
                    rowA[offset] = 0; belowA[offset] = 255; rowB[offset] = 255; belowB[offset] = 0;
                    rowA[offset + n - 1] = 255; belowA[offset + n - 1] = 0;   // the last group at its largest
                    ulong mask = GradientActivity.ColourMask(bands);
                    ulong[] expected = new ulong[groups], actual = new ulong[groups];
                    Array.Fill(actual, 0xDEADUL);   // stored, not accumulated into
                    GradientActivity.PairedGroupsScalarReference(rowA.AsSpan(offset), belowA.AsSpan(offset), rowB.AsSpan(offset),
                        belowB.AsSpan(offset), bands, expected, mask);
                    GradientActivity.PairedGroups(rowA.AsSpan(offset), belowA.AsSpan(offset), rowB.AsSpan(offset), belowB.AsSpan(offset),
                        bands, actual, mask, width);
                    Assert.Equal(expected, actual);
                }
    }

    [Fact]
    public void Paired_groups_reference_is_each_pair_counted_once()
    {
        // One pair all zeros; in the other, sample 1 is 9 (seen from sample 0 to its right, and from itself to its right
        // and below) and sample 0's lower neighbour 5: 9 + 5 + 9 + 9.
        byte[] zeros = new byte[17], row = new byte[17], below = new byte[16];
        row[1] = 9; below[0] = 5;
        ulong[] sums = new ulong[2];
        GradientActivity.PairedGroupsScalarReference(row, below, zeros, zeros, 1, sums);
        Assert.Equal(new ulong[] { 32, 0 }, sums);
    }

    [Fact]
    public void Sum_blocks_equals_the_textbook_loop_for_every_band_count_and_a_partial_last_block()
    {
        var rng = new Random(31);
        foreach (int k in new[] { 1, 2, 3, 4 })
            foreach (int groups in Enumerable.Range(0, 30).Append(481))
                foreach (int extraBlocks in new[] { 0, 1, 2 })
                {
                    ulong[] g = new ulong[groups];
                    for (int i = 0; i < groups; i++) g[i] = (ulong)rng.Next(0, 2 * 4081);
                    int blocks = (groups + k - 1) / k + extraBlocks;
                    uint[] expected = new uint[blocks], actual = new uint[blocks];
                    Array.Fill(actual, 0xDEADu);
                    GradientActivity.SumBlocksScalarReference(g, k, expected);
                    GradientActivity.SumBlocks(g, k, actual);
                    Assert.Equal(expected, actual);
                }
        uint[] one = new uint[2];
        GradientActivity.SumBlocks([1, 2, 3, 4, 5], 3, one);
        Assert.Equal(new uint[] { 6, 9 }, one);
    }

    [Fact]
    public void Colour_mask_skips_alpha_so_an_alpha_only_edge_has_no_activity()
    {
        // RGBA: opaque-to-transparent ramp in alpha, constant colour.
        byte[] row = new byte[8 * 8 + 4], below = new byte[8 * 8];
        for (int p = 0; p < row.Length / 4; p++) { row[4 * p] = row[4 * p + 1] = row[4 * p + 2] = 200; row[4 * p + 3] = (byte)(p * 30); }
        for (int p = 0; p < below.Length / 4; p++) { below[4 * p] = below[4 * p + 1] = below[4 * p + 2] = 200; below[4 * p + 3] = 7; }
        ulong[] sums = new ulong[8];
        GradientActivity.Groups(row, below, 4, sums, GradientActivity.ColourMask(4));
        Assert.All(sums, s => Assert.Equal(0UL, s));
        GradientActivity.Groups(row, below, 4, sums);   // without the mask the alpha ramp counts
        Assert.Contains(sums, s => s > 0);
    }

    [Fact]
    public void Rejects_rows_shorter_than_the_groups() =>
        Assert.Throws<ArgumentException>(() => GradientActivity.Groups(new byte[16], new byte[16], 3, new ulong[2]));
}
