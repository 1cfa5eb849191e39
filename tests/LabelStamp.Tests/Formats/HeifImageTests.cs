using LabelStamp.Errors;
using LabelStamp.Formats.Heif;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Metadata.Xmp;
using LabelStamp.Pipeline;
using LabelStamp.Provenance;
using LabelStamp.Tests.Images;
using LabelStamp.Tests.Provenance;
using LabelStamp.TestSupport;
using LabelStamp.Verification;
using NetVips;

namespace LabelStamp.Tests.Formats;

/// <summary>
/// AVIF and HEIC through their format modules: sniffed by their 'ftyp' brands (not as MP4), AVIF stamped with every
/// layer and judged by exiftool (XMP) and c2pa-rs (the BMFF-hash manifest), HEIC refused with a precise error because
/// this build's libvips has no HEVC codec.
/// </summary>
public sealed class HeifImageTests(C2paFixture fx) : IClassFixture<C2paFixture>
{
    /// <summary>An 'ftyp' box with the given major and compatible brands, then an empty 'meta' box.</summary>
    private static byte[] Ftyp(string major, params string[] compatible)
    {
        var brands = string.Concat(compatible);
        int size = 16 + 4 * compatible.Length;
        byte[] head = [0, 0, 0, (byte)size, .. "ftyp"u8, .. System.Text.Encoding.ASCII.GetBytes(major), 0, 0, 0, 0, .. System.Text.Encoding.ASCII.GetBytes(brands)];
        return [.. head, 0, 0, 0, 12, .. "meta"u8, 0, 0, 0, 0];
    }

    public static TheoryData<string, string[], string> Brands => new()
    {
        { "avif", ["mif1", "miaf"], "avif" },
        { "mif1", ["avif", "miaf"], "avif" },
        { "heic", ["mif1", "heic"], "heic" },
        { "mif1", ["heic"], "heic" },
        { "isom", ["isom", "iso2", "avc1", "mp41"], "mp4" },
        { "qt  ", ["qt  "], "mp4" },
        { "M4A ", ["M4A ", "mp42", "isom"], "mp4" },
    };

    [Theory]
    [MemberData(nameof(Brands))]
    public void Ftyp_brands_tell_heif_images_from_movies(string major, string[] compatible, string expected) =>
        Assert.Equal(expected, MediaSniffer.Sniff(Ftyp(major, compatible), "x").Name);

    [Fact]
    public async Task A_heic_image_is_named_and_refused_not_called_a_corrupt_mp4()
    {
        byte[] heic = Ftyp("heic", "mif1", "heic");
        var e = await Assert.ThrowsAsync<LabelStampException>(() => ImageFixtures.Stamper.StampAsync(heic, "photo.heic", new StampRequest("id", ImageFixtures.Producer, new LabelPolicy())));
        Assert.Equal(ErrorCode.UnsupportedFormat, e.Code);
        Assert.Contains("HEVC", e.Message);
        var report = await ImageFixtures.Catalog.CreateVerifier().VerifyAsync(heic, "photo.heic", new VerifyOptions());
        Assert.Equal("LS103", report.ErrorCode);
    }

    [Fact]
    public async Task An_avif_is_stamped_with_every_layer_and_read_back_by_exiftool_c2pa_rs_and_verify()
    {
        VipsRuntime();
        using var photo = Image.NewFromFile(RepoPaths.Samples("images", "storm.jpg"));
        using var small = photo.Resize(0.5);
        byte[] input = small.HeifsaveBuffer(q: 85, compression: Enums.ForeignHeifCompression.Av1);
        Assert.Equal(AvifModule.Avif, MediaSniffer.Sniff(input, "storm.avif"));

        var stamper = ImageFixtures.Catalog.CreateStamper(fx.Key, provenance: fx.Writer);
        var result = await stamper.StampAsync(input, "storm.avif", new StampRequest("avif-1", ImageFixtures.Producer, new LabelPolicy()));
        Assert.Equal(Layers.Explicit | Layers.Metadata | Layers.Watermark | Layers.Provenance, result.Applied);
        string path = fx.Save("stamped.avif", result.Output);

        // The moved item locations still point at the image: libvips decodes the stamped file at the input's size.
        using (var decoded = Image.NewFromBuffer(result.Output)) Assert.Equal((small.Width, small.Height), (decoded.Width, decoded.Height));
        Assert.Equal(result.Aigc.ToJson(), ExternalTool.ExifTool(path, "XMP-TC260:AIGC"));
        Assert.Equal(XmpNames.TrainedAlgorithmicMedia, ExternalTool.ExifTool(path, "XMP-iptcExt:DigitalSourceType"));

        var rs = C2paRsResult.Read(path);
        Assert.Empty(rs.RealFailures);
        Assert.Contains("assertion.bmffHash.match", rs.Success);

        var ours = C2paReader.Read(result.Output, "stamped.avif");
        Assert.Equal((C2paIds.BmffHashV3, true), (ours.HardBinding, ours.HardBindingValid));

        var report = await ImageFixtures.Catalog.CreateVerifier().VerifyAsync(result.Output, "stamped.avif", new VerifyOptions { Key = fx.Key });
        Assert.Equal("avif", report.Format);
        Assert.All([report.Explicit, report.Metadata, report.Watermark, report.Provenance], f => Assert.Equal(LayerState.Found, f.State));
    }

    private static void VipsRuntime() => Media.Images.VipsRuntime.EnsureInitialised();
}
