using LabelStamp.Media.Images;

namespace LabelStamp.Robustness;

/// <summary>Fidelity metrics between an original and a marked image of the same shape.</summary>
public static class ImageQuality
{
    /// <summary>PSNR in dB over colour samples (alpha ignored); +∞ for identical images.</summary>
    public static double Psnr(PixelBuffer a, PixelBuffer b)
    {
        Check(a, b);
        double sq = 0; long n = 0;
        for (int i = 0; i < a.Width * a.Height * a.Bands; i++)
        {
            if (a.HasAlpha && i % a.Bands == a.Bands - 1) continue;
            double d = a.Data[i] - b.Data[i];
            sq += d * d; n++;
        }
        return sq == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 * n / sq);
    }

    /// <summary>
    /// SSIM (Wang et al. 2004) on luma with the paper's constants (K1 0.01, K2 0.03, L 255) over 8 × 8
    /// windows at stride 4 (uniform weights), averaged.
    /// </summary>
    public static double Ssim(PixelBuffer a, PixelBuffer b)
    {
        Check(a, b);
        return Ssim(LumaPlane(a, null), LumaPlane(b, null), a.Width, a.Height);
    }

    /// <summary>
    /// SSIM of the image as a viewer sees it: each image composited over black and over white by its
    /// alpha, the worse of the two. For an opaque image this is <see cref="Ssim"/>; for transparent art it
    /// leaves out the colour under alpha 0, which no viewer sees but the raw measure counts.
    /// </summary>
    public static double SsimDisplayed(PixelBuffer a, PixelBuffer b)
    {
        Check(a, b);
        if (!a.HasAlpha) return Ssim(a, b);
        return Math.Min(Ssim(LumaPlane(a, 0), LumaPlane(b, 0), a.Width, a.Height),
            Ssim(LumaPlane(a, 255), LumaPlane(b, 255), a.Width, a.Height));
    }

    private static double Ssim(double[] ya, double[] yb, int width, int height)
    {
        const double c1 = 6.5025, c2 = 58.5225;
        int w = width;
        double total = 0; long windows = 0;
        for (int y = 0; y + 8 <= height; y += 4)
            for (int x = 0; x + 8 <= width; x += 4)
            {
                double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
                for (int j = 0; j < 8; j++)
                {
                    int row = (y + j) * w + x;
                    for (int i = 0; i < 8; i++)
                    {
                        double la = ya[row + i], lb = yb[row + i];
                        sa += la; sb += lb; saa += la * la; sbb += lb * lb; sab += la * lb;
                    }
                }
                double ma = sa / 64, mb = sb / 64;
                double va = saa / 64 - ma * ma, vb = sbb / 64 - mb * mb, cov = sab / 64 - ma * mb;
                total += (2 * ma * mb + c1) * (2 * cov + c2) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
                windows++;
            }
        return total / windows;
    }

    /// <summary>Luma once per pixel (each pixel sits in up to 4 × 4 overlapping windows; corpus images
    /// reach 33 MP); over <paramref name="background"/> by alpha when given, raw colour otherwise.</summary>
    private static double[] LumaPlane(PixelBuffer p, double? background)
    {
        var plane = new double[(long)p.Width * p.Height];
        for (int y = 0; y < p.Height; y++)
            for (int x = 0; x < p.Width; x++)
            {
                double luma = Luma(p, x, y);
                if (background is { } bg && p.HasAlpha)
                {
                    double alpha = p.Data[y * p.Stride + x * p.Bands + p.Bands - 1] / 255.0;
                    luma = alpha * luma + (1 - alpha) * bg;
                }
                plane[(long)y * p.Width + x] = luma;
            }
        return plane;
    }

    private static double Luma(PixelBuffer p, int x, int y)
    {
        int o = y * p.Stride + x * p.Bands;
        return p.ColourBands == 3 ? 0.299 * p.Data[o] + 0.587 * p.Data[o + 1] + 0.114 * p.Data[o + 2] : p.Data[o];
    }

    private static void Check(PixelBuffer a, PixelBuffer b)
    {
        if (a.Width != b.Width || a.Height != b.Height || a.Bands != b.Bands) throw new ArgumentException("images differ in shape");
    }
}
