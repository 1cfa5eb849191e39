using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Metadata.Containers;
using LabelStamp.TestSupport;
using NetVips;

namespace LabelStamp.Tests.Images;

/// <summary>
/// Stamp's lossy WebP encode through the system libwebp (<see cref="WebpFrameEncoder"/>): the in-place
/// YUV conversion must give the bitstream of libwebp's whole-frame import, and both that of libvips'
/// webpsave (the encoder it replaces) at the same quality and effort; the metadata libvips carried
/// (ICC profile, EXIF) must still be in the file. Pixels are pseudo-random (seed 17) so that every
/// chroma average differs; sizes are odd and cross the 64-row strip boundary.
/// </summary>
public sealed class WebpFrameEncoderTests
{
    private sealed class NoInput : IDisposable
    {
        public void Dispose() { }
    }

    private static PixelBuffer Noise(int width, int height)
    {
        var data = new byte[width * height * 3];
        new Random(17).NextBytes(data);
        return new PixelBuffer(data, width, height, 3);
    }

    private static DecodedImage Decoded(PixelBuffer pixels) => new(Image.Black(1, 1), pixels, 1, new NoInput());

    [Theory]
    [InlineData(1, 1)]
    [InlineData(17, 9)]
    [InlineData(3, 129)]
    [InlineData(130, 67)]
    [InlineData(257, 130)]
    public void In_place_conversion_gives_the_whole_import_bitstream_and_libvips_webpsave_output(int width, int height)
    {
        VipsRuntime.EnsureInitialised();
        Assert.True(WebpFrameEncoder.Available, "libwebp.so.7 is missing (the Dockerfile installs libwebp7)");
        var pixels = Noise(width, height);
        byte[] original = pixels.Data.ToArray();

        using var whole = Decoded(new PixelBuffer(pixels.Data.ToArray(), width, height, 3));
        byte[]? imported = WebpFrameEncoder.EncodeRgb(whole, 75, 4, inPlace: false);
        using var converted = Decoded(pixels);
        byte[]? inPlace = WebpFrameEncoder.EncodeRgb(converted, 75, 4, inPlace: true);
        using var image = Image.NewFromMemory(original, width, height, 3, Enums.BandFormat.Uchar);
        byte[] libvips = image.WebpsaveBuffer(q: 75, effort: 4, keep: Enums.ForeignKeep.None);

        Assert.NotNull(imported);
        Assert.Equal(imported, inPlace);
        Assert.Equal(libvips, imported);
        Assert.Equal(original, whole.Pixels.Data);                       // the whole import leaves the frame as it was
        Assert.Throws<ObjectDisposedException>(() => converted.Pixels);   // the in-place one hands it over
        using var back = Image.NewFromBuffer(inPlace!);
        Assert.Equal((width, height), (back.Width, back.Height));
    }

    [Fact]
    public void The_stamp_encode_keeps_the_ICC_profile_and_EXIF_in_their_chunks()
    {
        VipsRuntime.EnsureInitialised();
        using var photo = Image.NewFromFile(RepoPaths.Samples("images", "storm.jpg"));
        using var small = photo.ThumbnailImage(200, height: 150, size: Enums.Size.Force);
        using var profiled = small.IccTransform("srgb", inputProfile: "srgb");   // attaches libvips' sRGB profile
        using var tagged = profiled.Mutate(m => m.Set(GValue.BlobType, "exif-data", ExifWithSoftware()));
        byte[] input = tagged.WebpsaveBuffer(q: 85, keep: Enums.ForeignKeep.All);
        var header = ImageHeader.Read(input, MediaFormat.WebP, "in.webp");

        using var decoded = ImageCodec.Decode(input, header, "in.webp");
        byte[] icc = (byte[])decoded.Source.Get("icc-profile-data");
        byte[] exif = (byte[])decoded.Source.Get("exif-data");
        byte[] output = ImageCodec.Encode(decoded, header, new ImageEncodeOptions(), "in.webp");

        var riff = RiffFile.Parse(output, "out.webp");
        Assert.Equal(["VP8X", "ICCP", "VP8 ", "EXIF"], riff.Chunks.Select(c => c.FourCC));
        Assert.Equal(WebpCanvas.FlagIcc | WebpCanvas.FlagExif, riff.Chunks[0].Data.Span[0]);
        Assert.Equal(icc, riff.Chunks[1].Data.ToArray());
        Assert.Equal(exif, riff.Chunks[3].Data.ToArray());
        using var back = Image.NewFromBuffer(output);
        Assert.Equal(icc, (byte[])back.Get("icc-profile-data"));
        Assert.Equal((200, 150, 3), (back.Width, back.Height, back.Bands));
    }

    /// <summary>A minimal little-endian EXIF block with one IFD0 entry (Software = "t").</summary>
    private static byte[] ExifWithSoftware() =>
    [
        (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
        (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0,
        1, 0,                                   // one entry
        0x31, 0x01, 2, 0, 2, 0, 0, 0, (byte)'t', 0, 0, 0, // 0x0131 Software, ASCII, count 2, "t\0" inline
        0, 0, 0, 0,                             // no next IFD
    ];
}
