using LabelStamp.Kernels;
using LabelStamp.Kernels.Audio;

namespace LabelStamp.Kernels.Tests.Audio;

/// <summary>The resampler's dot product: every width equals the scalar reference bit for bit on odd
/// lengths and misaligned slices, and the reference agrees with a double-precision sum. Seed 4242.</summary>
public class DotProductTests
{
    public static TheoryData<VectorWidth> Widths => [VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto];

    [Theory]
    [MemberData(nameof(Widths))]
    public void Every_width_equals_the_scalar_reference_on_odd_lengths_and_misaligned_tails(VectorWidth width)
    {
        var rng = new Random(4242);
        var x = new float[300];
        var h = new float[300];
        for (int i = 0; i < x.Length; i++) { x[i] = (float)(rng.NextDouble() * 2 - 1); h[i] = (float)(rng.NextDouble() * 2 - 1); }
        foreach (int n in new[] { 0, 1, 7, 15, 16, 17, 31, 33, 63, 65, 127, 255 })
            foreach (int offset in new[] { 0, 1, 3, 5 })
            {
                var xs = x.AsSpan(offset, n);
                var hs = h.AsSpan(offset + 2, n); // the two inputs misaligned against each other too
                float reference = DotProduct.OfScalarReference(xs, hs);
                Assert.Equal(reference, DotProduct.Of(xs, hs, width));
                double exact = 0;
                for (int i = 0; i < n; i++) exact += (double)xs[i] * hs[i];
                Assert.Equal(exact, reference, 1e-4);
            }
    }

    [Fact]
    public void Different_lengths_are_refused()
    {
        Assert.Throws<ArgumentException>(() => DotProduct.Of(new float[3], new float[4]));
    }
}
