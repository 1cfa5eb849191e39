using LabelStamp.Kernels;

namespace LabelStamp.Kernels.Tests;

public class SpanMaxTests
{
    public static TheoryData<VectorWidth> Widths => new() { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512 };

    /// <summary>Lengths 1-67 and 1,023, spans starting 0-3 floats into their arrays, the largest value placed at the
    /// start, the end (the ragged tail) and at random (seed 41); all-negative spans too.</summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void Equals_the_scalar_loop_at_odd_lengths_and_misaligned_offsets(VectorWidth width)
    {
        var rng = new Random(41);
        foreach (int n in Enumerable.Range(1, 67).Append(1023))
            for (int offset = 0; offset <= 3; offset++)
                foreach (int place in new[] { 0, n - 1, rng.Next(n) })
                    foreach (float shift in new[] { 0f, -500f })
                    {
                        float[] a = Enumerable.Range(0, n + offset).Select(_ => (float)(rng.NextDouble() * 100 - 50) + shift).ToArray();
                        a[offset + place] = 80f + shift;
                        ReadOnlySpan<float> x = a.AsSpan(offset);
                        float expected = SpanMax.OfScalarReference(x);
                        Assert.Equal(80f + shift, expected);
                        Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(SpanMax.Of(x, width)));
                    }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Refuses_an_empty_span(VectorWidth width) =>
        Assert.Throws<ArgumentException>(() => SpanMax.Of(ReadOnlySpan<float>.Empty, width));
}
