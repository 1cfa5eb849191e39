using LabelStamp.Explicit;
using LabelStamp.Kernels;
using LabelStamp.Media.Video;

namespace LabelStamp.Tests.Video;

/// <summary>The planar label blend equals the textbook formula per plane, at every vector width, and
/// touches nothing outside its rectangle. Fixed seed 31 for the frame content.</summary>
public class PlanarLabelTests
{
    private static LabelOverlay Overlay(int w, int h)
    {
        var rng = new Random(5);
        byte[] grey = new byte[w * h], alpha = new byte[w * h];
        rng.NextBytes(grey);
        rng.NextBytes(alpha);
        return new LabelOverlay(w, h, grey, alpha, new byte[w * h], h / 2, 1, 1);
    }

    [Theory]
    [InlineData(VectorWidth.Scalar, false)]
    [InlineData(VectorWidth.V128, false)]
    [InlineData(VectorWidth.V256, true)]
    [InlineData(VectorWidth.V512, false)]
    [InlineData(VectorWidth.Auto, true)]
    public void Blend_matches_the_scalar_reference_on_every_plane(VectorWidth width, bool fullRange)
    {
        const int fw = 98, fh = 54;
        var overlay = Overlay(37, 13); // odd sizes: ragged rows and a half chroma column
        var label = new PlanarLabel(overlay, 51, 27, fw, fh, fullRange); // odd position: rounded to even
        Assert.Equal((50, 26), (label.X, label.Y));

        byte[] frame = new byte[fw * fh * 3 / 2];
        new Random(31).NextBytes(frame);
        byte[] expected = (byte[])frame.Clone();
        label.Apply(frame, width);

        for (int r = 0; r < overlay.Height; r++)
        {
            var colour = new byte[overlay.Width];
            for (int x = 0; x < overlay.Width; x++)
            {
                byte g = overlay.Grey[r * overlay.Width + x];
                colour[x] = fullRange ? g : (byte)(16 + (219 * g + 127) / 255);
            }
            AlphaBlend.RowScalarReference(expected.AsSpan((label.Y + r) * fw + label.X, overlay.Width), colour, overlay.Alpha.AsSpan(r * overlay.Width, overlay.Width));
        }
        int cw = (overlay.Width + 1) / 2, ch = (overlay.Height + 1) / 2, u = fw * fh, v = u + fw / 2 * (fh / 2);
        for (int r = 0; r < ch; r++)
        {
            var alpha = new byte[cw];
            for (int x = 0; x < cw; x++)
            {
                int sum = 0, n = 0;
                for (int dy = 0; dy < 2; dy++)
                    for (int dx = 0; dx < 2; dx++)
                        if (2 * x + dx < overlay.Width && 2 * r + dy < overlay.Height) { sum += overlay.Alpha[(2 * r + dy) * overlay.Width + 2 * x + dx]; n++; }
                alpha[x] = (byte)((sum + n / 2) / n);
            }
            var neutral = Enumerable.Repeat((byte)128, cw).ToArray();
            AlphaBlend.RowScalarReference(expected.AsSpan(u + (label.Y / 2 + r) * (fw / 2) + label.X / 2, cw), neutral, alpha);
            AlphaBlend.RowScalarReference(expected.AsSpan(v + (label.Y / 2 + r) * (fw / 2) + label.X / 2, cw), neutral, alpha);
        }
        Assert.Equal(expected, frame);
    }

    [Fact]
    public void A_label_that_does_not_fit_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlanarLabel(Overlay(40, 20), 70, 10, 100, 60, false));
}
