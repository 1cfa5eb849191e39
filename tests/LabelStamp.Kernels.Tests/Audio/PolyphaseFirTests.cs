using LabelStamp.Kernels;
using LabelStamp.Kernels.Audio;

namespace LabelStamp.Kernels.Tests.Audio;

/// <summary>The resampler's batched filter: on every width each output equals the scalar reference dot
/// product bit for bit (so resampled signals, and the audio mark, are what they were before batching and
/// do not depend on the CPU), over whole and ragged tap counts, odd batch lengths, and starts and table
/// offsets that leave every load misaligned; reads past the input or the table are refused. Seed 5151.</summary>
public class PolyphaseFirTests
{
    public static TheoryData<VectorWidth> Widths => [VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto];

    [Theory]
    [MemberData(nameof(Widths))]
    public void Every_width_equals_the_scalar_reference_dot_product_per_output(VectorWidth width)
    {
        var rng = new Random(5151);
        var input = new float[1001];
        var table = new float[33 * 80 + 7];
        for (int i = 0; i < input.Length; i++) input[i] = (float)(rng.NextDouble() * 2 - 1);
        for (int i = 0; i < table.Length; i++) table[i] = (float)(rng.NextDouble() * 2 - 1);
        foreach (int taps in new[] { 16, 32, 48, 80, 1, 7, 21, 33 })
            foreach (int count in new[] { 0, 1, 3, 17, 255 })
            {
                var starts = new int[count];
                var offsets = new int[count];
                for (int k = 0; k < count; k++)
                {
                    starts[k] = rng.Next(input.Length - taps + 1);          // any alignment
                    offsets[k] = rng.Next(33) * taps + (k % 3);               // a phase row, shifted off alignment
                }
                var output = new float[count];
                PolyphaseFir.Apply(input, table, taps, starts, offsets, output, width);
                for (int k = 0; k < count; k++)
                    Assert.Equal(DotProduct.OfScalarReference(input.AsSpan(starts[k], taps), table.AsSpan(offsets[k], taps)), output[k]);
            }
    }

    [Fact]
    public void Reads_past_the_input_or_the_table_are_refused()
    {
        var output = new float[1];
        Assert.Throws<ArgumentOutOfRangeException>(() => PolyphaseFir.Apply(new float[32], new float[64], 16, [17], [0], output));
        Assert.Throws<ArgumentOutOfRangeException>(() => PolyphaseFir.Apply(new float[32], new float[64], 16, [0], [49], output));
        Assert.Throws<ArgumentOutOfRangeException>(() => PolyphaseFir.Apply(new float[32], new float[64], 16, [-1], [0], output));
        Assert.Throws<ArgumentException>(() => PolyphaseFir.Apply(new float[32], new float[64], 16, [], [], output));
    }
}
