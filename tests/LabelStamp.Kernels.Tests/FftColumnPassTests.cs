using LabelStamp.Kernels.Fft;

namespace LabelStamp.Kernels.Tests;

/// <summary>
/// <see cref="FftPlan2D"/>'s column pass (the late stages run group by group of rows) against the textbook stage-by-stage
/// pass (<see cref="FftPlan2D.ColumnPassScalarReference"/>), bit for bit, on every width, forward and inverse, at sizes
/// with no, one and four late stages (64, 128, 1,024), at three times a power of two (6 … 768: each third's pass and
/// the radix-3 stage) and with whole, half-spectrum (N/2 + 1) and odd column counts
/// (ragged tails); the autocorrelation finished pair of rows by pair of rows, in any order, against the whole one; the
/// autocorrelation of a zero-padded window (whose padding rows the forward column pass never reads) against the same
/// window transformed with its zeros in place; and the bit-reversal's row swap on every width against the element loop.
/// Seeds fixed (2311 + N).
/// </summary>
public class FftColumnPassTests
{
    public static TheoryData<VectorWidth> Widths => [VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512];

    private static float[] Floats(Random rng, int count)
    {
        var a = new float[count];
        for (int i = 0; i < count; i++) a[i] = (float)(rng.NextDouble() * 200 - 100);
        return a;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Equals_the_textbook_stage_order_bit_for_bit(VectorWidth width)
    {
        foreach (int n in new[] { 2, 64, 128, 256, 1024, 6, 12, 96, 768 })
        {
            var plan = new FftPlan2D(n);
            foreach (int columns in new[] { n, n / 2 + 1, Math.Max(1, n / 2 - 3) | 1 })
                foreach (bool inverse in new[] { false, true })
                {
                    var rng = new Random(2311 + n);
                    float[] re = Floats(rng, n * n), im = Floats(rng, n * n);
                    float[] rre = (float[])re.Clone(), rim = (float[])im.Clone();
                    plan.ColumnPass(re, im, columns, inverse, width);
                    plan.ColumnPassScalarReference(rre, rim, columns, inverse);
                    Assert.True(re.AsSpan().SequenceEqual(rre) && im.AsSpan().SequenceEqual(rim),
                        $"N = {n}, {columns} columns, inverse {inverse}, {width}");
                }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Padding_rows_are_never_read_and_the_autocorrelation_keeps_its_bits(VectorWidth width)
    {
        // Padding of half the rows and more (the first stage only copies or clears), of less than a quarter (some
        // first-stage pairs are butterflies), odd row counts, and windows of 257-512 rows in the 768-point transform.
        foreach ((int n, int rows) in new[] { (1024, 768), (1024, 513), (512, 256), (512, 200), (512, 450), (768, 512),
                     (768, 385), (768, 300), (64, 17), (64, 50), (12, 5), (12, 7), (6, 2), (4, 3) })
        {
            var rng = new Random(2311 + n + rows);
            float[] window = new float[n * n];
            for (int i = 0; i < rows * n; i++) window[i] = (float)(rng.NextDouble() * 2 - 1);
            // The padded transform is given NaN where the padding rows are and in its scratch plane: a single read of
            // them would spread through the whole result.
            float[] padded = (float[])window.Clone(), paddedIm = new float[n * n];
            padded.AsSpan(rows * n).Fill(float.NaN);
            paddedIm.AsSpan().Fill(float.NaN);
            float[] whole = (float[])window.Clone();
            var plan = new FftPlan2D(n);
            plan.Autocorrelate(padded, paddedIm, rows, width, notchAbove: 4);
            plan.Autocorrelate(whole, new float[n * n], int.MaxValue, width, notchAbove: 4);
            Assert.True(whole.AsSpan().SequenceEqual(padded), $"N = {n}, {rows} rows, {width}");
            Assert.DoesNotContain(padded, float.IsNaN);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void The_row_swap_equals_the_element_loop(VectorWidth width)
    {
        // Rows of 6 and 12 floats start off vector alignment; column counts leave every kind of ragged tail.
        foreach (int n in new[] { 6, 12, 96, 1024 })
        {
            var plan = new FftPlan2D(n);
            var rng = new Random(2311 + n);
            foreach (int columns in new[] { 0, 1, 3, 5, 7, 15, 17, 33, 67, n / 2 + 1, n })
            {
                if (columns > n) continue;
                int i = rng.Next(n), j = rng.Next(n);
                float[] a = Floats(rng, n * n), reference = (float[])a.Clone();
                plan.SwapRows(a, i, j, columns, width);
                plan.RowSwapScalarReference(reference, i, j, columns);
                Assert.True(a.AsSpan().SequenceEqual(reference), $"N = {n}, rows {i} and {j}, {columns} columns, {width}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Rows_finished_one_pair_at_a_time_equal_the_whole_autocorrelation(VectorWidth width)
    {
        foreach ((int n, int rows) in new[] { (4, 3), (64, 41), (1024, 768), (12, 7), (768, 512) })
        {
            var rng = new Random(2311 + n);
            float[] x = new float[n * n];
            for (int i = 0; i < rows * n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
            var plan = new FftPlan2D(n);
            float[] whole = (float[])x.Clone(), lazy = (float[])x.Clone();
            plan.Autocorrelate(whole, new float[n * n], rows, width, notchAbove: 4);
            float[] im = new float[n * n];
            plan.AutocorrelationSpectrum(lazy, im, rows, width, notchAbove: 4);
            // Pairs in a scrambled order, each asked for by its odd row: a pair reads and writes its own rows only.
            for (int p = 0; p < n / 2; p++)
                plan.AutocorrelationRows(lazy, im, 2 * (p * 7 % (n / 2)) + 1, width);
            Assert.True(whole.AsSpan().SequenceEqual(lazy), $"N = {n}, {width}");
        }
    }
}
