namespace LabelStamp.Kernels.Tests;

/// <summary>The block-statistics kernel on every width against its scalar reference (integer sums, so
/// bit-exact), for one and two rows, on odd lengths, misaligned slices and stale accumulators; the shifted
/// adds at every band shift; the window gather against its reference on every band count, odd window counts and
/// misaligned slices. Seeds fixed (29, 31, 37).</summary>
public class ColumnMomentsTests
{
    public static TheoryData<VectorWidth> Widths => new() { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Equals_scalar_reference_for_one_and_two_rows_at_odd_lengths_and_misaligned_offsets(VectorWidth width)
    {
        var rng = new Random(29);
        foreach (bool two in new[] { false, true })
            foreach (int length in Enumerable.Range(0, 70).Append(127).Append(129).Append(1001))
                for (int offset = 0; offset <= 3; offset++)
                {
                    byte[] first = new byte[length + offset], second = new byte[length + offset];
                    rng.NextBytes(first);
                    rng.NextBytes(second);
                    if (length > 0) first[offset + length - 1] = second[offset + length - 1] = 255;   // the largest square, in the tail
                    ushort[] expectedSums = new ushort[length + offset + 1], actualSums = new ushort[length + offset + 1];
                    uint[] expectedSquares = new uint[length + offset + 1], actualSquares = new uint[length + offset + 1];
                    // Stale values everywhere: the kernel must overwrite its range and nothing past it.
                    for (int i = 0; i < expectedSums.Length; i++)
                    {
                        expectedSums[i] = actualSums[i] = (ushort)rng.Next(0, 1800);
                        expectedSquares[i] = actualSquares[i] = (uint)rng.Next(0, 400_000);
                    }
                    ReadOnlySpan<byte> b = two ? second.AsSpan(offset, length) : default;
                    ColumnMoments.StoreScalarReference(first.AsSpan(offset, length), b, expectedSums.AsSpan(offset), expectedSquares.AsSpan(offset));
                    ColumnMoments.Store(first.AsSpan(offset, length), b, actualSums.AsSpan(offset), actualSquares.AsSpan(offset), width);
                    Assert.Equal(expectedSums, actualSums);
                    Assert.Equal(expectedSquares, actualSquares);
                }
    }

    [Fact]
    public void Two_white_rows_store_the_largest_moments()
    {
        byte[] row = Enumerable.Repeat((byte)255, 200).ToArray();
        ushort[] sums = new ushort[200];
        uint[] squares = new uint[200];
        ColumnMoments.Store(row, row, sums, squares);
        Assert.All(sums, s => Assert.Equal(2 * 255, s));
        Assert.All(squares, q => Assert.Equal(2u * 255 * 255, q));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Shifted_adds_equal_scalar_reference_at_every_band_shift_odd_lengths_and_offsets(VectorWidth width)
    {
        var rng = new Random(31);
        foreach (int shift in new[] { 1, 2, 3, 4, 6, 8, 12, 16 })
            foreach (int length in Enumerable.Range(0, 75).Append(131).Append(1003))
                for (int offset = 0; offset <= 2; offset++)
                {
                    ushort[] expectedSums = new ushort[length + offset], actualSums = new ushort[length + offset];
                    uint[] expectedSquares = new uint[length + offset], actualSquares = new uint[length + offset];
                    for (int i = 0; i < expectedSums.Length; i++)
                    {
                        expectedSums[i] = actualSums[i] = (ushort)rng.Next(0, 4081);
                        expectedSquares[i] = actualSquares[i] = (uint)rng.Next(0, 520_201);
                    }
                    ColumnMoments.AddShiftedScalarReference(expectedSums.AsSpan(offset), expectedSquares.AsSpan(offset), shift);
                    ColumnMoments.AddShifted(actualSums.AsSpan(offset), actualSquares.AsSpan(offset), shift, width);
                    Assert.Equal(expectedSums, actualSums);
                    Assert.Equal(expectedSquares, actualSquares);
                }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Run_sums_equal_the_two_shifted_adds_at_every_band_shift_odd_lengths_and_offsets(VectorWidth width)
    {
        var rng = new Random(43);
        foreach (int shift in new[] { 1, 2, 3, 4 })
            foreach (int length in Enumerable.Range(0, 75).Append(131).Append(1003).Append(11_552))
                for (int offset = 0; offset <= 2; offset++)
                {
                    ushort[] expectedSums = new ushort[length + offset], actualSums = new ushort[length + offset];
                    uint[] expectedSquares = new uint[length + offset], actualSquares = new uint[length + offset];
                    for (int i = 0; i < expectedSums.Length; i++)
                    {
                        // Up to the largest column moments of two rows, and the near-largest 4-pixel sums.
                        expectedSums[i] = actualSums[i] = (ushort)(rng.Next(8) == 0 ? 510 : rng.Next(0, 511));
                        expectedSquares[i] = actualSquares[i] = (uint)(rng.Next(8) == 0 ? 130_050 : rng.Next(0, 130_051));
                    }
                    ColumnMoments.AddRunsScalarReference(expectedSums.AsSpan(offset), expectedSquares.AsSpan(offset), shift);
                    ColumnMoments.AddRuns(actualSums.AsSpan(offset), actualSquares.AsSpan(offset), shift, width);
                    Assert.Equal(expectedSums, actualSums);
                    Assert.Equal(expectedSquares, actualSquares);
                }
    }

    [Fact]
    public void Run_sums_of_a_ramp_are_four_pixel_sums_with_the_tail_cut_at_the_end()
    {
        ushort[] sums = [1, 2, 3, 4, 5, 6];
        uint[] squares = [1, 4, 9, 16, 25, 36];
        ColumnMoments.AddRuns(sums, squares, 1);
        Assert.Equal(new ushort[] { 10, 14, 18, 15, 11, 6 }, sums);
        Assert.Equal(new uint[] { 30, 54, 86, 77, 61, 36 }, squares);
    }

    [Fact]
    public void Three_shifted_adds_sum_eight_pixels_per_band()
    {
        // RGB columns 0…39 with value = pixel index × 3 + band: after shifts of 3, 6 and 12 samples each
        // element holds its band's sum over the 8 pixels from it on (zeros past the end); the statistics
        // stop after two, at 4 pixels, which this checks on the way.
        const int bands = 3, pixels = 40;
        ushort[] sums = new ushort[(pixels + 8) * bands];
        uint[] squares = new uint[sums.Length];
        for (int i = 0; i < pixels * bands; i++) { sums[i] = (ushort)i; squares[i] = (uint)(i * i); }
        for (int shift = bands; shift < 4 * bands; shift *= 2) ColumnMoments.AddShifted(sums, squares, shift);
        for (int p = 0; p < pixels; p++)
            for (int c = 0; c < bands; c++)
            {
                int expected = 0;
                for (int k = p; k < Math.Min(pixels, p + 4); k++) expected += k * bands + c;
                Assert.Equal(expected, sums[p * bands + c]);
            }
        ColumnMoments.AddShifted(sums, squares, 4 * bands);
        for (int p = 0; p < pixels; p++)
            for (int c = 0; c < bands; c++)
            {
                int expected = 0, expectedSquares = 0;
                for (int k = p; k < Math.Min(pixels, p + 8); k++) { expected += k * bands + c; expectedSquares += (k * bands + c) * (k * bands + c); }
                Assert.Equal(expected, sums[p * bands + c]);
                Assert.Equal((uint)expectedSquares, squares[p * bands + c]);
            }
    }

    [Fact]
    public void Window_gather_equals_scalar_reference_for_every_band_count_odd_window_counts_and_offsets()
    {
        var rng = new Random(37);
        for (int bands = 1; bands <= 4; bands++)
            foreach (int runs in Enumerable.Range(0, 41).Append(127).Append(481))
                for (int offset = 0; offset <= 3; offset++)
                {
                    int length = 4 * bands * runs + bands + offset;
                    ushort[] sums = new ushort[length];
                    uint[] squares = new uint[length];
                    for (int i = 0; i < length; i++) { sums[i] = (ushort)rng.Next(0, 2041); squares[i] = (uint)rng.Next(0, 520_201); }
                    int nEven = (runs + 1) / 2, nOdd = runs / 2;
                    // Outputs one longer than needed and full of stale values: the kernel writes its range and nothing past it.
                    int[][] expected = [new int[bands * nEven + 1], new int[bands * nEven + 1], new int[bands * nOdd + 1], new int[bands * nOdd + 1]];
                    int[][] actual = expected.Select(a => a.Select(_ => rng.Next()).ToArray()).ToArray();
                    for (int k = 0; k < 4; k++) actual[k].CopyTo(expected[k], 0);
                    ColumnMoments.GatherWindowsScalarReference(sums.AsSpan(offset), squares.AsSpan(offset), bands, runs,
                        expected[0], expected[1], expected[2], expected[3]);
                    ColumnMoments.GatherWindows(sums.AsSpan(offset), squares.AsSpan(offset), bands, runs,
                        actual[0], actual[1], actual[2], actual[3]);
                    for (int k = 0; k < 4; k++) Assert.Equal(expected[k], actual[k]);
                }
    }

    [Fact]
    public void Window_gather_after_the_shifted_adds_gives_each_windows_eight_pixel_sums_per_band()
    {
        // RGBA columns 0…41 (value = pixel × 4 + band), zeros past them: a window at quadrant column m sums pixels
        // 4m … 4m + 7 of its band (those inside the row), even m in the first half, odd m in the second.
        const int bands = 4, pixels = 42, runs = (pixels + 3) / 4;
        ushort[] sums = new ushort[(pixels + 8) * bands];
        uint[] squares = new uint[sums.Length];
        for (int i = 0; i < pixels * bands; i++) { sums[i] = (ushort)i; squares[i] = (uint)(i * i); }
        for (int shift = bands; shift < 4 * bands; shift *= 2) ColumnMoments.AddShifted(sums, squares, shift);
        int nEven = (runs + 1) / 2, nOdd = runs / 2;
        int[] es = new int[bands * nEven], eq = new int[bands * nEven], os = new int[bands * nOdd], oq = new int[bands * nOdd];
        ColumnMoments.GatherWindows(sums, squares, bands, runs, es, eq, os, oq);
        for (int m = 0; m < runs; m++)
            for (int c = 0; c < bands; c++)
            {
                int expected = 0, expectedSquares = 0;
                for (int p = 4 * m; p < Math.Min(pixels, 4 * m + 8); p++) { expected += p * bands + c; expectedSquares += (p * bands + c) * (p * bands + c); }
                (int[] s, int[] q, int n) = m % 2 == 0 ? (es, eq, nEven) : (os, oq, nOdd);
                Assert.Equal(expected, s[c * n + m / 2]);
                Assert.Equal(expectedSquares, q[c * n + m / 2]);
            }
    }

    [Fact]
    public void Window_gather_rejects_accumulators_that_stop_before_the_last_windows_second_run() =>
        Assert.Throws<ArgumentException>(() => ColumnMoments.GatherWindows(new ushort[4 * 3 * 5 + 2], new uint[4 * 3 * 5 + 3], 3, 5,
            new int[9], new int[9], new int[6], new int[6]));

    [Fact]
    public void Rejects_accumulators_shorter_than_the_row() =>
        Assert.Throws<ArgumentException>(() => ColumnMoments.Store(new byte[16], default, new ushort[15], new uint[16]));

    [Fact]
    public void Rejects_a_second_row_of_another_length() =>
        Assert.Throws<ArgumentException>(() => ColumnMoments.Store(new byte[16], new byte[15], new ushort[16], new uint[16]));
}
