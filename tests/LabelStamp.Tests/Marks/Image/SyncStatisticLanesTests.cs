using LabelStamp.Kernels;
using LabelStamp.Marks.Image;

namespace LabelStamp.Tests.Marks.Image;

/// <summary>
/// The sync statistic's loops in vector lanes (<see cref="ImageMarkSync"/>: the chip-sized box sums squared, the
/// normalised correlation) give the scalar loops' values to the bit on every width, so a read's statistic, its
/// peaks and the presence bound it reports do not depend on the machine. Folds from a fixed seed (2312), with
/// flat stretches, exact zeros and tiny values.
/// </summary>
public sealed class SyncStatisticLanesTests
{
    private const int P = ImageMarkLayout.Period;
    public static TheoryData<VectorWidth> Widths => [VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto];

    private static float[] Fold(int seed)
    {
        var rng = new Random(seed);
        float[] fold = new float[P * P];
        for (int i = 0; i < fold.Length; i++) fold[i] = (float)((rng.NextDouble() - 0.5) * Math.Exp(rng.NextDouble() * 6 - 3));
        // A blank band (weighed to zero by the whitening) and a band of one repeated value.
        Array.Clear(fold, 40 * P, 9 * P);
        Array.Fill(fold, 0.25f, 100 * P + 7, 300);
        fold[5] = -1e-30f;
        return fold;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Box_sums_squared_equal_the_scalar_loops_bit_for_bit(VectorWidth width)
    {
        float[] fold = Fold(2312), rowsA = new float[P * P], rowsB = new float[P * P], expected = new float[P * P], actual = new float[P * P];
        ImageMarkSync.BoxSquaredScalarReference(fold, rowsA, expected);
        ImageMarkSync.BoxSquared(fold, rowsB, actual, width);
        Assert.Equal(expected, actual);
        // The wrap: the box at the last column and row sums the first ones.
        float s = 0;
        for (int y = P - 2; y < P + 2; y++) for (int x = P - 1; x < P + 3; x++) s += fold[(y & (P - 1)) * P + (x & (P - 1))];
        Assert.Equal(s * s, actual[(P - 2) * P + P - 1], Math.Max(1e-6f, 1e-4f * s * s));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Statistic_equals_the_scalar_path_bit_for_bit(VectorWidth width)
    {
        var sync = new ImageMarkSync(new ImageMarkLayout(MarkedSamples.TestKey(2312)));
        // A random fold, and one spike on a blank fold: offsets whose sync chips miss the spike see only the
        // transforms' rounding and are scored 0, on every width.
        float[] spike = new float[P * P];
        spike[77 * P + 130] = 3f;
        foreach (float[] fold in new[] { Fold(2313), spike })
        {
            float[] expected = new float[P * P], actual = new float[P * P];
            sync.Statistic(fold, expected, VectorWidth.Scalar);
            sync.Statistic(fold, actual, width);
            Assert.Equal(expected, actual);
            Assert.Contains(expected, v => v != 0f);
        }
        float[] last = new float[P * P];
        sync.Statistic(spike, last, width);
        Assert.Contains(last, v => v == 0f);
    }
    /// <summary>Both orientations from one forward transform (<see cref="ImageMarkSync.Statistics"/>): the fold's statistic
    /// is <see cref="ImageMarkSync.Statistic"/>'s to the bit, the mirror's matches the statistic of the mirrored fold to
    /// within the transforms' rounding (its own path), with the same peak, on every width and against the scalar path bit
    /// for bit. A random fold, a fold holding the key's sync pattern mirrored (the mirror's statistic then peaks at the
    /// origin, far above the rest), and the spike on a blank fold, where offsets that miss it score 0 in both.</summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void Both_orientations_from_one_transform_match_two_statistics(VectorWidth width)
    {
        var layout = new ImageMarkLayout(MarkedSamples.TestKey(2312));
        var sync = new ImageMarkSync(layout);
        float[] marked = Fold(2314), pattern = layout.SyncPattern();
        for (int i = 0; i < marked.Length; i++) marked[i] = 0.3f * marked[i] + pattern[i];
        float[] spike = new float[P * P];
        spike[77 * P + 130] = 3f;
        foreach (float[] fold in new[] { Fold(2315), ImageMarkSync.Mirror(marked), spike })
        {
            float[] t = new float[P * P], tm = new float[P * P], single = new float[P * P], mirrored = new float[P * P];
            float[] scalarT = new float[P * P], scalarTm = new float[P * P];
            sync.Statistics(fold, t, tm, width);
            sync.Statistic(fold, single, width);
            sync.Statistic(ImageMarkSync.Mirror(fold), mirrored, width);
            sync.Statistics(fold, scalarT, scalarTm, VectorWidth.Scalar);
            Assert.Equal(single, t);
            Assert.Equal(scalarT, t);
            Assert.Equal(scalarTm, tm);
            float largest = SpanMax.Of(mirrored);
            // Measured: 2.0e-5 and 6.0e-5 apart at largest values of 4.8 and 31.8 (4e-6 and 2e-6 of them). The spike's
            // T is exactly ±1 in exact arithmetic and either path is 1.5-2.3e-4 off it there (one sample carries the
            // whole fold's energy, so the transforms' rounding is large beside the few boxes that see it).
            float tolerance = fold == spike ? 5e-4f : 2e-5f * largest;
            for (int i = 0; i < tm.Length; i++)
                Assert.True(Math.Abs(tm[i] - mirrored[i]) <= tolerance, $"offset {i}: {tm[i]} against {mirrored[i]}");
            if (fold != spike) Assert.Equal(SpanMax.FirstIndexOfMax(mirrored), SpanMax.FirstIndexOfMax(tm));
            Assert.Equal(mirrored.Count(v => v == 0f), tm.Count(v => v == 0f));
        }
        float[] mt = new float[P * P], mtm = new float[P * P];
        sync.Statistics(ImageMarkSync.Mirror(marked), mt, mtm, width);
        Assert.Equal(0, SpanMax.FirstIndexOfMax(mtm));
        Assert.True(mtm[0] > 2 * SpanMax.Of(mt), $"mirrored peak {mtm[0]} against the fold's best {SpanMax.Of(mt)}");
    }
    /// <summary>The key material's spectra-only instance allocates no scratch and refuses a statistic; a search's instance
    /// made from it scores as a full instance does, to the bit.</summary>
    [Fact]
    public void Spectra_only_instance_refuses_a_statistic_and_lends_its_spectra_to_a_search()
    {
        var layout = new ImageMarkLayout(MarkedSamples.TestKey(2316));
        var spectra = ImageMarkSync.SpectraOnly(layout);
        float[] fold = Fold(2317), t = new float[P * P], tm = new float[P * P], expected = new float[P * P], expectedM = new float[P * P];
        Assert.ThrowsAny<ArgumentException>(() => spectra.Statistic(fold, t));
        spectra.WithOwnScratch().Statistics(fold, t, tm);
        new ImageMarkSync(layout).Statistics(fold, expected, expectedM);
        Assert.Equal(expected, t);
        Assert.Equal(expectedM, tm);
    }
}
