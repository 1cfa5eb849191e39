using LabelStamp.Kernels.Fft;

namespace LabelStamp.Kernels.Tests;

/// <summary>
/// <see cref="FftPlan2D"/>'s column pass (the late stages run group by group of rows) against the textbook stage-by-stage
/// pass (<see cref="FftPlan2D.ColumnPassScalarReference"/>), bit for bit, on every width, forward and inverse, at sizes
/// with no, one and four late stages (64, 128, 1,024), at three times a power of two (6 … 768: each third's pass and
/// the radix-3 stage) and with whole, half-spectrum (N/2 + 1) and odd column counts
/// (ragged tails); and the autocorrelation finished pair of rows by pair of rows, in any order, against the whole one.
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
