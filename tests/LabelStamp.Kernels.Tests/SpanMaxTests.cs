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
    /// <summary>The first index of the maximum equals the scalar peak scan's on every width: lengths 1-67 and 1,023,
    /// spans starting 0-3 floats into their arrays, the maximum placed once or repeated (its first copy at the start,
    /// in the ragged tail or at random, seed 43), a maximum of zero written as +0 and −0 in turn, every value equal,
    /// float.MinValue stretches (the detector's suppressed peaks), and a NaN (the scan's own answer is kept).</summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void First_index_of_the_maximum_equals_the_scalar_peak_scan(VectorWidth width)
    {
        var rng = new Random(43);
        foreach (int n in Enumerable.Range(1, 67).Append(1023))
            for (int offset = 0; offset <= 3; offset++)
                foreach (int place in new[] { 0, n - 1, rng.Next(n) })
                    for (int kind = 0; kind < 6; kind++)
                    {
                        float[] a = Enumerable.Range(0, n + offset).Select(_ => (float)(rng.NextDouble() * 100 - 50)).ToArray();
                        Span<float> x = a.AsSpan(offset);
                        switch (kind)
                        {
                            case 0: x[place] = 80f; break;
                            case 1: x[place] = 80f; for (int k = place + 1; k < n; k += 3) x[k] = 80f; break;
                            case 2: for (int k = 0; k < n; k++) x[k] = -Math.Abs(x[k]) - 1; x[place] = -0f; for (int k = place + 2; k < n; k += 5) x[k] = 0f; break;
                            case 3: x.Fill(2.5f); break;
                            case 4: x.Fill(float.MinValue); x[place] = (float)rng.NextDouble(); break;
                            case 5: x[place] = float.NaN; break;
                        }
                        int expected = SpanMax.FirstIndexOfMaxScalarReference(x);
                        if (kind < 2) Assert.Equal(place, expected);
                        Assert.Equal(expected, SpanMax.FirstIndexOfMax(x, width));
                    }
    }
}
