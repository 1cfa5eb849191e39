using System.Globalization;
using LabelStamp.Media.Images;
using NetVips;
using VipsImage = NetVips.Image;

namespace LabelStamp.Robustness;

/// <summary>
/// The image attack suite of spec §5, built with libvips: every attack at several settings, ordered
/// mildest first and strongest last within a name. Deterministic (noise uses a fixed seed).
/// </summary>
public static class ImageAttackSuite
{
    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    public static IReadOnlyList<ImageAttack> All()
    {
        var list = new List<ImageAttack>();
        list.Add(new("none", "-", p => p));
        foreach (int q in new[] { 95, 85, 75, 65, 50 }) list.Add(new("jpeg", "q" + q, p => Jpeg(p, q)));
        foreach (int q in new[] { 90, 75, 50 }) list.Add(new("webp", "q" + q, p => Webp(p, q)));
        foreach (double s in new[] { 0.9, 1.5, 0.75, 0.5, 2.0 }) list.Add(new("resize", F(s) + "x", p => Resize(p, s)));
        foreach ((double area, double fx, double fy) in new[] { (0.9, 0.5, 0.5), (0.5, 0.0, 1.0), (0.5, 0.8, 0.3), (0.25, 1.0, 0.0), (0.25, 0.3, 0.7) })
            list.Add(new("crop", $"{F(area * 100)}%@{F(fx)},{F(fy)}", p => Crop(p, area, fx, fy)));
        foreach (double a in new[] { 0.5, -1.0, 2.0, -2.0 }) list.Add(new("rotate", F(a) + "deg", p => Rotate(p, a)));
        foreach (double b in new[] { 0.1, -0.2, 0.2 }) list.Add(new("brightness", (b > 0 ? "+" : "") + F(b * 100) + "%", p => Linear(p, 1, 255 * b)));
        foreach (double c in new[] { 0.1, -0.2, 0.2 }) list.Add(new("contrast", (c > 0 ? "+" : "") + F(c * 100) + "%", p => Linear(p, 1 + c, 128 * -c)));
        foreach (double s in new[] { 2.0, 5.0 }) list.Add(new("noise", "sigma" + F(s), p => Noise(p, s, 12345)));
        foreach (double s in new[] { 0.5, 1.0 }) list.Add(new("blur", "sigma" + F(s), p => Blur(p, s)));
        list.Add(new("png", "resave", Png));
        list.Add(new("resize+jpeg", "0.7x,q75", p => Jpeg(Resize(p, 0.7), 75)));
        // Spec §5's image-only extras: a mirrored image and a strong tilt. Their own names keep the
        // ±2° "rotate" group (and its strongest setting) as it was.
        list.Add(new("flip", "horizontal", FlipHorizontal));
        foreach (double a in new[] { 10.0, -10.0 }) list.Add(new("rotate10", F(a) + "deg", p => Rotate(p, a)));
        return list;
    }

    /// <summary>For each attack name, its first (mildest) and last (strongest) setting.</summary>
    public static IReadOnlyList<ImageAttack> MildestAndStrongest()
    {
        var all = All();
        var result = new List<ImageAttack>();
        foreach (var group in all.GroupBy(a => a.Name))
        {
            result.Add(group.First());
            if (group.Count() > 1) result.Add(group.Last());
        }
        return result;
    }

    public static PixelBuffer Jpeg(PixelBuffer p, int q) =>
        VipsPixels.FromVips(VipsImage.NewFromBuffer(Flatten(VipsPixels.ToVips(p)).JpegsaveBuffer(q: q)));

    public static PixelBuffer Webp(PixelBuffer p, int q) =>
        VipsPixels.FromVips(VipsImage.NewFromBuffer(VipsPixels.ToVips(p).WebpsaveBuffer(q: q)));

    public static PixelBuffer Png(PixelBuffer p) =>
        VipsPixels.FromVips(VipsImage.NewFromBuffer(VipsPixels.ToVips(p).PngsaveBuffer()));

    public static PixelBuffer Resize(PixelBuffer p, double s) => VipsPixels.FromVips(VipsPixels.ToVips(p).Resize(s));

    /// <summary>Keeps <paramref name="area"/> of the image (same aspect), placed at fraction (fx, fy) of the free margin.</summary>
    public static PixelBuffer Crop(PixelBuffer p, double area, double fx, double fy)
    {
        double k = Math.Sqrt(area);
        int cw = (int)(p.Width * k), ch = (int)(p.Height * k);
        int left = (int)((p.Width - cw) * fx), top = (int)((p.Height - ch) * fy);
        return VipsPixels.FromVips(VipsPixels.ToVips(p).Crop(left, top, cw, ch));
    }

    /// <summary>Rotates about the centre (bilinear) and crops back to the original frame, as a photo
    /// straightened in an editor would be.</summary>
    public static PixelBuffer Rotate(PixelBuffer p, double degrees)
    {
        VipsImage r = VipsPixels.ToVips(p).Rotate(degrees, interpolate: Interpolate.NewFromName("bilinear"));
        int left = (r.Width - p.Width) / 2, top = (r.Height - p.Height) / 2;
        return VipsPixels.FromVips(r.Crop(left, top, p.Width, p.Height));
    }

    public static PixelBuffer FlipHorizontal(PixelBuffer p) => VipsPixels.FromVips(VipsPixels.ToVips(p).FlipHor());

    /// <summary>out = a · in + b on colour bands (alpha kept).</summary>
    public static PixelBuffer Linear(PixelBuffer p, double a, double b)
    {
        var v = VipsPixels.ToVips(p);
        double[] mul = new double[p.Bands], add = new double[p.Bands];
        for (int i = 0; i < p.Bands; i++) { bool alpha = p.HasAlpha && i == p.Bands - 1; mul[i] = alpha ? 1 : a; add[i] = alpha ? 0 : b; }
        return VipsPixels.FromVips(v.Linear(mul, add).Cast(Enums.BandFormat.Uchar));
    }

    public static PixelBuffer Blur(PixelBuffer p, double sigma) => VipsPixels.FromVips(VipsPixels.ToVips(p).Gaussblur(sigma));

    /// <summary>Independent Gaussian noise per colour sample, fixed seed (Box-Muller on System.Random).</summary>
    public static PixelBuffer Noise(PixelBuffer p, double sigma, int seed)
    {
        var rng = new Random(seed);
        byte[] d = (byte[])p.Data.Clone();
        for (int i = 0; i < p.Width * p.Height * p.Bands; i++)
        {
            if (p.HasAlpha && i % p.Bands == p.Bands - 1) continue;
            double g = Math.Sqrt(-2.0 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            d[i] = (byte)Math.Clamp(Math.Round(d[i] + sigma * g), 0, 255);
        }
        return new PixelBuffer(d, p.Width, p.Height, p.Bands);
    }

    private static VipsImage Flatten(VipsImage v) => v.HasAlpha() ? v.Flatten(background: [255.0]) : v;
}
