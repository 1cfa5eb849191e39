namespace LabelStamp.Kernels.Tests;

/// <summary>The run sums straight from the pixels on every width against their textbook definition (integer sums, so
/// bit-exact) for 1-4 bands, one and two rows, odd pixel counts, misaligned slices, rows longer than the pixels read
/// (the bytes past them must add nothing) and stale outputs; the window pairs against their reference; and the whole
/// new path against the column path it replaces (<see cref="ColumnMoments"/>: store, run sums, gather). Seeds fixed (41, 43, 47).</summary>
public class QuadrantRunsTests
{
    public static TheoryData<VectorWidth> Widths => new() { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto };

    private static IEnumerable<int> PixelCounts => Enumerable.Range(0, 70).Concat([127, 129, 130, 131, 255, 257, 479, 1001]);

    [Theory]
    [MemberData(nameof(Widths))]
    public void Run_sums_equal_the_definition_for_every_band_count_row_count_length_and_offset(VectorWidth width)
    {
        var rng = new Random(41);
        int cases = 0;
        for (int bands = 1; bands <= 4; bands++)
            foreach (bool two in new[] { false, true })
                foreach (int pixels in PixelCounts)
                    for (int offset = 0; offset <= 3; offset += pixels > 200 ? 3 : 1)
                    {
                        int runs = (pixels + 3) / 4, pitch = (runs + 1) / 2 + offset % 2, extra = 5 + offset;
                        byte[] first = new byte[offset + pixels * bands + extra], second = new byte[first.Length];
                        rng.NextBytes(first);
                        rng.NextBytes(second);
                        if (pixels > 0)
                            for (int c = 0; c < bands; c++) first[offset + (pixels - 1) * bands + c] = second[offset + (pixels - 1) * bands + c] = 255;
                        ReadOnlySpan<byte> a = first.AsSpan(offset, pixels * bands + (offset % 2 == 0 ? extra : 0));
                        ReadOnlySpan<byte> b = two ? second.AsSpan(offset, a.Length) : default;
                        int length = bands * pitch + 3;
                        int[][] expected = Stale(rng, length), actual = Copy(expected);
                        QuadrantRuns.SumScalarReference(a, b, bands, pixels, pitch, expected[0], expected[1], expected[2], expected[3]);
                        QuadrantRuns.Sum(a, b, bands, pixels, pitch, actual[0], actual[1], actual[2], actual[3], width);
                        for (int k = 0; k < 4; k++) Assert.Equal(expected[k], actual[k]);
                        cases++;
                    }
        Assert.True(cases > 1000);
    }

    [Fact]
    public void White_rows_give_the_largest_run_moments()
    {
        byte[] row = Enumerable.Repeat((byte)255, 4 * 101).ToArray();
        int[] evenSums = new int[4 * 13], evenSquares = new int[4 * 13], oddSums = new int[4 * 13], oddSquares = new int[4 * 13];
        QuadrantRuns.Sum(row, row, 4, 101, 13, evenSums, evenSquares, oddSums, oddSquares);
        for (int c = 0; c < 4; c++)
        {
            Assert.All(evenSums.AsSpan(c * 13, 13).ToArray(), s => Assert.Equal(8 * 255, s));
            Assert.All(evenSquares.AsSpan(c * 13, 13).ToArray(), s => Assert.Equal(8 * 255 * 255, s));
            Assert.All(oddSquares.AsSpan(c * 13, 12).ToArray(), s => Assert.Equal(8 * 255 * 255, s));
            Assert.Equal(2 * 255, oddSums[c * 13 + 12]);   // run 25 holds pixel 100 only
            Assert.Equal(2 * 255 * 255, oddSquares[c * 13 + 12]);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Window_pairs_equal_the_reference_at_odd_run_counts_and_pitches(VectorWidth width)
    {
        var rng = new Random(43);
        for (int bands = 1; bands <= 4; bands++)
            foreach (int runs in Enumerable.Range(0, 75).Append(131).Append(960).Append(961))
            {
                int pitch = (runs + 1) / 2 + runs % 3;
                int[] even = new int[bands * pitch + 1], odd = new int[bands * pitch + 1];
                for (int i = 0; i < even.Length; i++) { even[i] = rng.Next(0, 1 << 21); odd[i] = rng.Next(0, 1 << 21); }
                int nEven = (runs + 1) / 2, nOdd = runs / 2;
                int[] expectedEven = new int[bands * nEven + 2], expectedOdd = new int[bands * nOdd + 2];
                for (int i = 0; i < expectedEven.Length; i++) expectedEven[i] = -i;
                for (int i = 0; i < expectedOdd.Length; i++) expectedOdd[i] = -i;
                int[] actualEven = (int[])expectedEven.Clone(), actualOdd = (int[])expectedOdd.Clone();
                QuadrantRuns.PairWindowsScalarReference(even, odd, bands, runs, pitch, expectedEven, expectedOdd);
                QuadrantRuns.PairWindows(even, odd, bands, runs, pitch, actualEven, actualOdd, width);
                Assert.Equal(expectedEven, actualEven);
                Assert.Equal(expectedOdd, actualOdd);
            }
    }

    /// <summary>The window sums the statistics pass feeds <see cref="SsimWindowTerms"/>, new path against the column path.</summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void Window_sums_equal_the_column_path(VectorWidth width)
    {
        var rng = new Random(47);
        for (int bands = 1; bands <= 4; bands++)
            foreach (bool two in new[] { false, true })
                foreach (int pixels in Enumerable.Range(1, 40).Concat([127, 130, 1001, 3840]))
                {
                    int runs = (pixels + 3) / 4, nEven = (runs + 1) / 2, nOdd = runs / 2, stride = pixels * bands;
                    byte[] first = new byte[stride], second = new byte[stride];
                    rng.NextBytes(first);
                    rng.NextBytes(second);
                    ReadOnlySpan<byte> b = two ? second : default;
                    int length = stride + 8 * bands;
                    ushort[] sums = new ushort[length];
                    uint[] squares = new uint[length];
                    ColumnMoments.Store(first, b, sums, squares);
                    ColumnMoments.AddRuns(sums, squares, bands);
                    int[] es = new int[bands * nEven], eq = new int[bands * nEven], os = new int[bands * nOdd], oq = new int[bands * nOdd];
                    ColumnMoments.GatherWindows(sums, squares, bands, runs, es, eq, os, oq);

                    int[] rs = new int[bands * nEven], rq = new int[bands * nEven], ro = new int[bands * nEven], roq = new int[bands * nEven];
                    QuadrantRuns.Sum(first, b, bands, pixels, nEven, rs, rq, ro, roq, width);
                    int[] ws = new int[bands * nEven], wq = new int[bands * nEven], vs = new int[bands * nOdd], vq = new int[bands * nOdd];
                    QuadrantRuns.PairWindows(rs, ro, bands, runs, nEven, ws, vs, width);
                    QuadrantRuns.PairWindows(rq, roq, bands, runs, nEven, wq, vq, width);
                    Assert.Equal(es, ws);
                    Assert.Equal(eq, wq);
                    Assert.Equal(os, vs);
                    Assert.Equal(oq, vq);
                }
    }

    [Fact]
    public void Short_outputs_and_bad_band_counts_are_rejected()
    {
        byte[] row = new byte[64];
        int[] big = new int[64], small = new int[3];
        Assert.Throws<ArgumentOutOfRangeException>(() => QuadrantRuns.Sum(row, default, 5, 8, 8, big, big, big, big));
        Assert.Throws<ArgumentException>(() => QuadrantRuns.Sum(row, default, 4, 16, 2, small, big, big, big));
        Assert.Throws<ArgumentException>(() => QuadrantRuns.Sum(row.AsSpan(0, 10), default, 4, 16, 2, big, big, big, big));
        Assert.Throws<ArgumentException>(() => QuadrantRuns.PairWindows(big, big, 4, 16, 8, small, big));
    }

    private static int[][] Stale(Random rng, int length)
    {
        var planes = new int[4][];
        for (int k = 0; k < 4; k++)
        {
            planes[k] = new int[length];
            for (int i = 0; i < length; i++) planes[k][i] = rng.Next(-1000, 1000);
        }
        return planes;
    }

    private static int[][] Copy(int[][] planes) => planes.Select(p => (int[])p.Clone()).ToArray();
}
