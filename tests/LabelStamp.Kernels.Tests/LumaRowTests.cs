using LabelStamp.Kernels;

namespace LabelStamp.Kernels.Tests;

/// <summary><see cref="LumaRow"/> on every width against its scalar reference, bit for bit: RGB and RGBA rows of
/// every length to past two vectors of pixels, odd ones included, at byte offsets 0-3 (misaligned rows and
/// ragged tails), random bytes from a fixed seed (2315) with the extremes 0 and 255 in every channel.</summary>
public class LumaRowTests
{
    public static TheoryData<VectorWidth> Widths => [VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto];

    [Theory]
    [MemberData(nameof(Widths))]
    public void Luma_equals_the_scalar_reference_bit_for_bit(VectorWidth width)
    {
        var rng = new Random(2315);
        foreach (int bands in new[] { 3, 4 })
            foreach (int n in Enumerable.Range(0, 40).Append(257).Append(1027))
                for (int offset = 0; offset <= 3; offset++)
                {
                    byte[] px = new byte[n * bands + offset];
                    rng.NextBytes(px);
                    if (n > 2) { px[offset] = 255; px[offset + 1] = 255; px[offset + 2] = 255; px[offset + bands] = 0; }
                    float[] expected = new float[n], actual = new float[n];
                    LumaRow.ScalarReference(px.AsSpan(offset), bands, expected);
                    LumaRow.FromColour(px.AsSpan(offset), bands, actual, width);
                    Assert.Equal(expected, actual);
                }
    }

    [Fact]
    public void Luma_weighs_red_green_and_blue_by_rec_601()
    {
        float[] l = new float[5];
        LumaRow.FromColour([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 10, 20, 30], 3, l);
        Assert.Equal(new[] { 0.299f * 255, 0.587f * 255, 0.114f * 255 }, l[..3]);
        Assert.Equal(255f, l[3], 1e-3f);
        Assert.Equal(0.299f * 10 + 0.587f * 20 + 0.114f * 30, l[4]);
        float[] a = new float[1];
        LumaRow.FromColour([10, 20, 30, 99], 4, a);
        Assert.Equal(l[4], a[0]);
    }

    [Fact]
    public void Bad_shapes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => LumaRow.FromColour(new byte[8], 2, new float[4]));
        Assert.Throws<ArgumentException>(() => LumaRow.FromColour(new byte[8], 3, new float[3]));
    }
}
