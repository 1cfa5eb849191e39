namespace LabelStamp.Kernels.Tests;

/// <summary>The pattern-row kernel on every width against its scalar reference, bit for bit, on every
/// length 0–200 plus long rows, at misaligned offsets of both spans, with values that round at exactly
/// half (ties go to even), values beyond ±127 (clamped) and the extremes at both ends. Seed fixed (53).</summary>
public class PatternRowTests
{
    public static TheoryData<VectorWidth> Widths => new() { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Equals_scalar_reference_at_odd_lengths_and_misaligned_offsets(VectorWidth width)
    {
        var rng = new Random(53);
        foreach (int length in Enumerable.Range(0, 201).Append(1023).Append(1920).Append(3841))
            for (int offset = 0; offset <= 3; offset++)
            {
                float[] profile = new float[length + offset];
                for (int i = 0; i < profile.Length; i++)
                    profile[i] = rng.Next(4) switch
                    {
                        0 => (float)(rng.NextDouble() * 2 - 1),          // a sin²-weighted ±1 chip
                        1 => (rng.Next(-300, 300) + 0.5f) / 2.5f,       // products that land on .5 after scaling by 2.5
                        2 => rng.Next(-3, 4) * 80f,                      // beyond ±127: clamped
                        _ => 0f,
                    };
                if (length > 0) { profile[offset] = -1000f; profile[^1] = 1000f; }
                var src = profile.AsSpan(offset, length);
                byte[] want = new byte[length + 1], got = new byte[length + 1];
                PatternRow.ScaleScalarReference(src, 2.5f, want.AsSpan(1, length));
                PatternRow.Scale(src, 2.5f, got.AsSpan(1, length), width);     // destination misaligned by one
                Assert.Equal(want, got);
            }
    }

    [Fact]
    public void Rounds_half_to_even_and_clamps_to_a_signed_byte()
    {
        float[] profile = [0.5f, 1.5f, -0.5f, -2.5f, 126.6f, 127.5f, 200f, -200f, 0.49f, -0.51f];
        byte[] dest = new byte[profile.Length];
        PatternRow.Scale(profile, 1f, dest, VectorWidth.Scalar);
        Assert.Equal(new sbyte[] { 0, 2, 0, -2, 127, 127, 127, -127, 0, -1 }, dest.Select(b => (sbyte)b).ToArray());
    }

    [Fact]
    public void Rejects_spans_of_different_lengths() =>
        Assert.Throws<ArgumentException>(() => PatternRow.Scale(new float[16], 1f, new byte[17]));
}
