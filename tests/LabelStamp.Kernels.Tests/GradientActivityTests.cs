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
