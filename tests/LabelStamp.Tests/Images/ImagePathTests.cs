using LabelStamp.Labels;
using LabelStamp.Media.Images;
using LabelStamp.Metadata.Xmp;
using LabelStamp.TestSupport;
using NetVips;

namespace LabelStamp.Tests.Images;

/// <summary>End to end on real photos, with exiftool as the independent reader of what we wrote.</summary>
public class ImagePathTests
{
    public static TheoryData<string> Formats => ["jpeg", "png", "webp", "webp-lossless"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Aigc_label_and_source_type_read_back_with_exiftool_and_size_is_kept(string format)
    {
        using var photo = Image.NewFromFile(RepoPaths.Samples("images", "storm.jpg"));
        using var small = photo.Resize(0.5);
        byte[] input = ImageFixtures.Encode(small, format);
        var result = ImageFixtures.Stamp(input, "storm." + format);
        Assert.Equal(Layers.Explicit | Layers.Metadata, result.Applied & (Layers.Explicit | Layers.Metadata));

        string dir = RepoPaths.NewTempDir();
        string path = Path.Combine(dir, "out." + (format.StartsWith("webp", StringComparison.Ordinal) ? "webp" : format == "jpeg" ? "jpg" : "png"));
        File.WriteAllBytes(path, result.Output);
        Assert.Equal(result.Aigc.ToJson(), ExternalTool.ExifTool(path, "XMP-TC260:AIGC"));
        Assert.Equal(XmpNames.TrainedAlgorithmicMedia, ExternalTool.ExifTool(path, "XMP-iptcExt:DigitalSourceType"));
        Assert.Equal($"{small.Width}x{small.Height}", ExternalTool.ExifTool(path, "ImageSize"));
        Assert.Equal(result.Format, Media.MediaSniffer.Sniff(result.Output, path));
        if (format.StartsWith("webp", StringComparison.Ordinal))
            Assert.Equal(format == "webp-lossless", ImageHeader.Read(result.Output, Media.MediaFormat.WebP, path).WebpLossless);
    }

    [Fact]
    public void Alpha_channel_exif_icc_and_other_xmp_survive()
    {
        // An RGBA PNG and a JPEG carrying an sRGB ICC profile, EXIF tags and foreign XMP properties.
        using var photo = Image.NewFromFile(RepoPaths.Samples("images", "arc-transparent.png"));
        byte[] png = ImageFixtures.Stamp(File.ReadAllBytes(RepoPaths.Samples("images", "arc-transparent.png")), "arc.png").Output;
        using (var back = Image.NewFromBuffer(png))
        {
            Assert.Equal(4, back.Bands);
            Assert.Equal(photo.Width, back.Width);
            // A fully transparent corner far from the label stays fully transparent.
            Assert.Equal(photo.Getpoint(0, 0)[3], back.Getpoint(0, 0)[3]);
        }

        string dir = RepoPaths.NewTempDir();
        string jpegPath = Path.Combine(dir, "in.jpg");
        using (var storm = Image.NewFromFile(RepoPaths.Samples("images", "storm.jpg")))
        using (var withIcc = storm.IccTransform("srgb", inputProfile: "srgb"))
            File.WriteAllBytes(jpegPath, withIcc.Cast(Enums.BandFormat.Uchar).JpegsaveBuffer(q: 85, keep: Enums.ForeignKeep.All));
        var (code, _, err) = ExternalTool.Run("exiftool", ["-overwrite_original", "-Artist=Test Artist", "-XMP-dc:Creator=Someone", "-XMP-dc:Title=Ladybird", jpegPath]);
        Assert.True(code == 0, err);
        byte[] original = File.ReadAllBytes(jpegPath);

        var first = ImageFixtures.Stamp(original, "in.jpg");
        var twice = ImageFixtures.Stamp(first.Output, "in.jpg", new LabelPolicy { Restamp = true }, id: "test-2"); // re-stamping updates, never duplicates
        string outPath = Path.Combine(dir, "out.jpg");
        File.WriteAllBytes(outPath, twice.Output);

        Assert.Equal("Test Artist", ExternalTool.ExifTool(outPath, "EXIF:Artist"));
        Assert.Equal("Someone", ExternalTool.ExifTool(outPath, "XMP-dc:Creator"));
        Assert.Equal("Ladybird", ExternalTool.ExifTool(outPath, "XMP-dc:Title"));
        Assert.Equal(twice.Aigc.ToJson(), ExternalTool.ExifTool(outPath, "XMP-TC260:AIGC"));
        Assert.Equal(1, XmpPacket.Read(ImageXmp.Read(twice.Output, Media.MediaFormat.Jpeg, "out")!).AigcCount);
        using var inImg = Image.NewFromBuffer(original);
        using var outImg = Image.NewFromBuffer(twice.Output);
        Assert.Equal((byte[])inImg.Get("icc-profile-data"), (byte[])outImg.Get("icc-profile-data"));
    }

    [Fact]
    public void Jpeg_quality_follows_the_input()
    {
        using var photo = Image.NewFromFile(RepoPaths.Samples("images", "dune.jpg"));
        foreach (int q in new[] { 55, 75, 85, 95 })
        {
            byte[] input = photo.JpegsaveBuffer(q: q);
            var header = ImageHeader.Read(input, Media.MediaFormat.Jpeg, "q");
            Assert.InRange(header.JpegQuality!.Value, q - 1, q + 1);
            var output = ImageFixtures.Stamp(input, "q.jpg").Output;
            Assert.InRange(ImageHeader.Read(output, Media.MediaFormat.Jpeg, "q").JpegQuality!.Value, q - 1, q + 1);
        }
    }

    /// <summary>The sampling factors in the SOF decide the output layout: only 4:2:0 (luma 2×2 per
    /// chroma sample) is written 4:2:0; 4:4:4, 4:2:2 and 4:4:0 are written 4:4:4. Only the header is
    /// read, so patching the luma factor is enough.</summary>
    [Theory]
    [InlineData(0x22, true)]  // 4:2:0
    [InlineData(0x21, false)] // 4:2:2
    [InlineData(0x12, false)] // 4:4:0
    [InlineData(0x11, false)] // 4:4:4
    [InlineData(0x41, false)] // 4:1:1
    public void Only_4_2_0_jpeg_input_is_written_4_2_0(byte lumaSampling, bool expected420)
    {
        using var photo = Image.NewFromFile(RepoPaths.Samples("images", "dune.jpg"));
        byte[] jpeg = photo.JpegsaveBuffer(q: 80, subsampleMode: Enums.ForeignSubsample.Off, keep: Enums.ForeignKeep.None); // no Exif thumbnail and its SOF
        int sof = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        Assert.True(sof > 0);
        Assert.Equal(0x11, jpeg[sof + 11]); // component 1's sampling factors (after length, precision, size, count, id)
        jpeg[sof + 11] = lumaSampling;
        Assert.Equal(expected420, ImageHeader.Read(jpeg, Media.MediaFormat.Jpeg, "s").JpegChroma420);
    }

    [Theory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)]
    [InlineData(5)] [InlineData(6)] [InlineData(7)] [InlineData(8)]
    public void Orientation_round_trips_and_the_label_lands_bottom_right_as_displayed(int orientation)
    {
        // A 300×200 gradient so every transform is distinguishable.
        using var x = Image.Xyz(300, 200);
        using var gradient = (x[0] * 0.8 + x[1] * 0.4).Cast(Enums.BandFormat.Uchar);
        using var display = ImageOrientation.ToDisplay(gradient, orientation);
        using var back = ImageOrientation.ToStored(display, orientation);
        Assert.Equal(gradient.WriteToMemory<byte>(), back.WriteToMemory<byte>());

        using var rgb = Image.NewFromFile(RepoPaths.Samples("images", "storm.jpg")).Resize(0.25);
        using var tagged = rgb.Mutate(m => m.Set("orientation", orientation));
        var result = ImageFixtures.Stamp(tagged.JpegsaveBuffer(q: 90, keep: Enums.ForeignKeep.All), "o.jpg");
        using var outImg = Image.NewFromBuffer(result.Output);
        Assert.Equal(orientation, ImageOrientation.Of(outImg));
        Assert.Equal((rgb.Width, rgb.Height), (outImg.Width, outImg.Height));
        using var shown = outImg.Autorot();
        var match = new LabelStamp.Explicit.ExplicitLabelDetector(ImageFixtures.Catalog.Renderer)
            .Detect(new PixelBuffer(shown.WriteToMemory<byte>(), shown.Width, shown.Height, shown.Bands), LabelWording.Known, new LabelPolicy());
        Assert.NotNull(match);
        Assert.Equal(LabelCorner.BottomRight, match.Corner);
    }
}
