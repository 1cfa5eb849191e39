using LabelStamp.Kernels;
using LabelStamp.Labels;
using LabelStamp.Media.Images;

namespace LabelStamp.Explicit;

/// <summary>
/// Puts a rendered label onto pixels. Opaque images (the usual case) go through the SIMD blend kernel
/// row by row. Images with an alpha channel take the exact straight-alpha "over" per pixel, because a
/// transparent destination's colour must not bleed into the plate (the plate must keep its contrast
/// whatever lies underneath); the label region is small, so that path costs little.
/// </summary>
public static class LabelCompositor
{
    public static (int X, int Y) Apply(PixelBuffer image, LabelOverlay overlay, LabelCorner corner, int inset, string name)
    {
        var (x0, y0) = LabelGeometry.Place(image.Width, image.Height, overlay.Width, overlay.Height, corner, inset, name);
        int bands = image.Bands, rowBytes = overlay.Width * bands;
        if (!image.HasAlpha)
        {
            var (colour, alpha) = overlay.Expanded(bands);
            for (int y = 0; y < overlay.Height; y++)
                AlphaBlend.Row(image.Row(y0 + y).Slice(x0 * bands, rowBytes),
                    colour.AsSpan(y * rowBytes, rowBytes), alpha.AsSpan(y * rowBytes, rowBytes));
            return (x0, y0);
        }
        for (int y = 0; y < overlay.Height; y++)
        {
            var row = image.Row(y0 + y).Slice(x0 * bands, rowBytes);
            for (int x = 0; x < overlay.Width; x++)
            {
                int i = y * overlay.Width + x;
                OverStraight(row.Slice(x * bands, bands), overlay.Grey[i], overlay.Alpha[i]);
            }
        }
        return (x0, y0);
    }

    /// <summary>Porter-Duff over with straight alpha: a = as + ad(1 − as), c = (cs·as + cd·ad(1 − as)) / a.</summary>
    private static void OverStraight(Span<byte> px, byte grey, byte alpha)
    {
        if (alpha == 0) return;
        int last = px.Length - 1;
        double sa = alpha / 255.0, da = px[last] / 255.0;
        double outA = sa + da * (1 - sa);
        for (int k = 0; k < last; k++)
            px[k] = (byte)Math.Round((grey * sa + px[k] * da * (1 - sa)) / outA);
        px[last] = (byte)Math.Round(255 * outA);
    }
}
