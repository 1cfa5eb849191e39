using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.TestSupport;
using NetVips;

namespace LabelStamp.Tests.Images;

/// <summary>
/// JPEG frames are decoded by the system libjpeg-turbo alone (<see cref="JpegFrameDecoder"/>, installed by
/// scripts/install-deps.sh) both for a stamp's input (<see cref="ImageCodec.Decode"/>) and for its check of its own
/// output: the pixels must be libvips' loader's to the byte in every layout (bench `jpeg-decode-identity` over 1,655
/// corpus files; here odd sizes in the layouts libvips writes), and what the direct path declines must still reach
/// libvips, whose errors stay the project's.
/// </summary>
public sealed class JpegFrameDecoderTests
{
    private static Image Photo(int width, int height)
    {
        VipsRuntime.EnsureInitialised();
        using var photo = Image.NewFromFile(RepoPaths.Samples("images", "storm.jpg"));
        using var rgb = photo.ThumbnailImage(width, height: height, size: Enums.Size.Force);
        using var raw = Image.NewFromMemory(rgb.WriteToMemory<byte>(), width, height, 3, Enums.BandFormat.Uchar);
        return raw.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    public static TheoryData<string> Layouts() => ["420-q40", "420-q85", "444-q95", "progressive", "restarts", "grey"];

    private static byte[] Jpeg(Image image, string layout) => layout switch
    {
        "420-q40" => image.JpegsaveBuffer(q: 40),
        "420-q85" => image.JpegsaveBuffer(q: 85),
        "444-q95" => image.JpegsaveBuffer(q: 95),
        "progressive" => image.JpegsaveBuffer(q: 80, interlace: true),
        "restarts" => image.JpegsaveBuffer(q: 85, restartInterval: 2),
        "grey" => Grey(image),
        _ => throw new ArgumentOutOfRangeException(nameof(layout)),
    };

    private static byte[] Grey(Image image)
    {
        using var grey = image.Colourspace(Enums.Interpretation.Bw);
        return grey.JpegsaveBuffer(q: 85);
    }

    /// <summary>libvips' loader's stored-orientation rows and band count, as <see cref="ImageCodec.Decode"/> read them before.</summary>
    private static (byte[] Rows, int Bands) ViaLibvips(byte[] jpeg)
    {
        var header = ImageHeader.Read(jpeg, MediaFormat.Jpeg, "t.jpg");
        using var input = PinnedInput.Over(jpeg);
        using var source = ImageCodec.Open(input, header, "t.jpg", Enums.Access.Sequential);
        return (SequentialImage.ReadAllRows(source, "t.jpg"), source.Bands);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Libturbojpeg_gives_libvips_pixels_to_the_byte(string layout)
    {
        Assert.True(JpegFrameDecoder.Available);
        foreach (var (w, h) in new[] { (330, 270), (257, 131), (17, 9) })
        {
            using var image = Photo(w, h);
            byte[] jpeg = Jpeg(image, layout);
            var (rows, bands) = ViaLibvips(jpeg);
            var direct = JpegFrameDecoder.Decode(jpeg, w, h);
            Assert.NotNull(direct);
            Assert.Equal((w, h, bands), (direct.Width, direct.Height, direct.Bands));
            Assert.True(rows.AsSpan().SequenceEqual(direct.Data.AsSpan(0, direct.Stride * h)), $"{layout} {w}x{h}");
            // And the stamp's decode of the same file is that frame.
            using var decoded = ImageCodec.Decode(jpeg, ImageHeader.Read(jpeg, MediaFormat.Jpeg, "t.jpg"), "t.jpg");
            Assert.True(rows.AsSpan().SequenceEqual(decoded.Pixels.Data.AsSpan(0, decoded.Pixels.Stride * h)), $"Decode, {layout} {w}x{h}");
        }
    }

    [Fact]
    public void What_it_does_not_take_it_leaves_to_libvips()
    {
        using var photo = Photo(64, 48);
        byte[] file = photo.JpegsaveBuffer(q: 85);
        Assert.Null(JpegFrameDecoder.Decode(file, 48, 64));                       // not the size the frame has
        Assert.Null(JpegFrameDecoder.Decode(file[..(file.Length / 2)], 64, 48));  // truncated: libjpeg's warning stops it
        Assert.Null(JpegFrameDecoder.Decode(photo.PngsaveBuffer(), 64, 48));      // not a JPEG
        using var cmyk = photo.Colourspace(Enums.Interpretation.Cmyk);
        Assert.Null(JpegFrameDecoder.Decode(cmyk.JpegsaveBuffer(q: 85), 64, 48)); // four components
        // A truncated input declined here gets libvips' typed error, as before the direct path.
        byte[] truncated = file[..(file.Length / 2)];
        var e = Assert.ThrowsAny<LabelStampException>(() => ImageCodec.Decode(truncated, ImageHeader.Read(truncated, MediaFormat.Jpeg, "t.jpg"), "t.jpg").Dispose());
        Assert.Equal(ErrorCode.TruncatedInput, e.Code);
    }
}
