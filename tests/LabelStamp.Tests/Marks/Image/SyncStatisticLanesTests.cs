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
}
