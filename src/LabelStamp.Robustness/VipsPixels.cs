using LabelStamp.Media.Images;
using NetVips;
using VipsImage = NetVips.Image;

namespace LabelStamp.Robustness;

/// <summary>Converts between <see cref="PixelBuffer"/> and libvips images (8-bit sRGB or grey).</summary>
public static class VipsPixels
{
    public static VipsImage ToVips(PixelBuffer p) =>
        VipsImage.NewFromMemory(p.Data, p.Width, p.Height, p.Bands, Enums.BandFormat.Uchar);

    public static PixelBuffer FromVips(VipsImage img)
    {
        if (img.Interpretation is not (Enums.Interpretation.Srgb or Enums.Interpretation.Bw or Enums.Interpretation.Multiband))
            img = img.Colourspace(img.Bands <= 2 ? Enums.Interpretation.Bw : Enums.Interpretation.Srgb);
        if (img.Format != Enums.BandFormat.Uchar) img = img.Cast(Enums.BandFormat.Uchar);
        byte[] data = img.WriteToMemory<byte>();
        return new PixelBuffer(data, img.Width, img.Height, img.Bands);
    }

    /// <summary>Decodes an encoded image (JPEG, PNG, WebP) held in memory.</summary>
    public static PixelBuffer Decode(byte[] encoded) => FromVips(VipsImage.NewFromBuffer(encoded, access: Enums.Access.Sequential));

    /// <summary>Loads a file; when <paramref name="maxPixels"/> is given, shrinks it to at most that many
    /// pixels (tests keep ≥ 1 MP but do not need 9 MP photos).</summary>
    public static PixelBuffer Load(string path, long maxPixels = long.MaxValue)
    {
        VipsImage img = VipsImage.NewFromFile(path, access: Enums.Access.Sequential);
        long px = (long)img.Width * img.Height;
        if (px > maxPixels) img = img.Resize(Math.Sqrt((double)maxPixels / px));
        return FromVips(img);
    }
}
