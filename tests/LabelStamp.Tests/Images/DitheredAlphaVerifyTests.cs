using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.TestSupport;
using LabelStamp.Verification;
using NetVips;

namespace LabelStamp.Tests.Images;

/// <summary>
/// `verify` reads the watermark from the pixels the stamp checked, alpha included. A transparent corpus image with
/// dithered alpha (every other pixel hidden, its colour left black) was stamped as watermarked and then read as
/// unmarked: verify's area decode dropped the alpha, so the detector whitened the hidden pixels' black as content
/// instead of filling them from their visible neighbours as the stamp's check does (2 of the 48 transparent corpus
/// images, lossless WebP). The picture is a 384 px corpus photo; the alpha is 0 on a random half of the pixels
/// (fixed seed 2024) and 255 elsewhere, in PNG and lossless WebP.
/// </summary>
public sealed class DitheredAlphaVerifyTests
{
    private static byte[] DitheredAlpha(string format)
    {
        VipsRuntime.EnsureInitialised();
        using var photo = Image.NewFromFile(Path.Combine(RepoPaths.Root, "tests", "fixtures", "images", "photo-01-384x384.webp"));
        byte[] rgb = photo.WriteToMemory<byte>();
        int n = photo.Width * photo.Height;
        var rgba = new byte[n * 4];
        var rng = new Random(2024);
        for (int i = 0; i < n; i++)
        {
            bool hidden = rng.Next(2) == 0;
            for (int c = 0; c < 3; c++) rgba[4 * i + c] = hidden ? (byte)0 : rgb[3 * i + c];
            rgba[4 * i + 3] = hidden ? (byte)0 : (byte)255;
        }
        using var raw = Image.NewFromMemory(rgba, photo.Width, photo.Height, 4, Enums.BandFormat.Uchar);
        using var tagged = raw.Copy(interpretation: Enums.Interpretation.Srgb);
        return format == "png" ? tagged.PngsaveBuffer() : tagged.WebpsaveBuffer(lossless: true, exact: true);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("webp")]
    public async Task A_stamped_image_with_dithered_alpha_is_verified_with_the_mark_it_was_stamped_with(string format)
    {
        string name = "dithered." + format;
        var result = ImageFixtures.Stamp(DitheredAlpha(format), name, new LabelPolicy { Layers = Layers.Watermark | Layers.Metadata, ExplicitWaivedByAgreement = true });
        Assert.Equal(Layers.Watermark, result.Applied & Layers.Watermark);

        var report = await ImageFixtures.Catalog.CreateVerifier().VerifyAsync(result.Output, name, new VerifyOptions { Key = ImageFixtures.Key });
        Assert.Equal(LayerState.Found, report.Watermark.State);
        Assert.Equal(result.MarkId.ToString(), report.Watermark.Details!["markId"]);
    }
}
