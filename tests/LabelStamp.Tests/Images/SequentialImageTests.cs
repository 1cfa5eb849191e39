using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using NetVips;

namespace LabelStamp.Tests.Images;

/// <summary>
/// verify's one-pass decode (<see cref="SequentialImage"/>) against the whole-frame decode stamping uses
/// (<see cref="ImageCodec.Decode"/>): every area it reads, in every EXIF orientation, is the same
/// pixels, alpha included (the watermark detector reads it), shrunk areas are the rounded means of their
/// blocks, and a damaged file gets the same typed error.
/// </summary>
public sealed class SequentialImageTests
{
    /// <summary>A 300 × 200 JPEG whose pixels differ everywhere (fixed seed 17), tagged with an orientation.</summary>
    private static byte[] Noise(int orientation, string format = "jpeg", int bands = 3)
    {
        VipsRuntime.EnsureInitialised();
        var bytes = new byte[300 * 200 * bands];
        new Random(17).NextBytes(bytes);
        using var raw = Image.NewFromMemory(bytes, 300, 200, bands, Enums.BandFormat.Uchar);
        using var srgb = raw.Copy(interpretation: Enums.Interpretation.Srgb);
        using var tagged = srgb.Mutate(m => m.Set(GValue.GIntType, "orientation", orientation));
        return format == "png" ? tagged.PngsaveBuffer(keep: Enums.ForeignKeep.All) : tagged.JpegsaveBuffer(q: 90, keep: Enums.ForeignKeep.All);
    }

    private static byte[] Crop(PixelBuffer full, PixelRect r, int bands)
    {
        var crop = new byte[r.Width * r.Height * bands];
        for (int y = 0; y < r.Height; y++)
            for (int x = 0; x < r.Width; x++)
                for (int b = 0; b < bands; b++)
                    crop[(y * r.Width + x) * bands + b] = full.Data[((r.Y + y) * full.Width + r.X + x) * full.Bands + b];
        return crop;
    }

    /// <summary>Both ways verify reads a JPEG: whole by libjpeg-turbo (up to <see cref="SequentialImage.JpegWholeFramePixels"/>)
    /// and as libvips' strips (above it; forced here with a limit of 0).</summary>
    [Theory]
    [InlineData(1, true)] [InlineData(2, true)] [InlineData(3, true)] [InlineData(4, true)]
    [InlineData(5, true)] [InlineData(6, true)] [InlineData(7, true)] [InlineData(8, true)]
    [InlineData(1, false)] [InlineData(3, false)] [InlineData(6, false)] [InlineData(8, false)]
    public void Every_area_in_every_orientation_is_the_whole_frame_decode_cropped(int orientation, bool wholeJpeg)
    {
        byte[] jpeg = Noise(orientation);
        var header = ImageHeader.Read(jpeg, MediaFormat.Jpeg, "n.jpg");
        using var decoded = ImageCodec.Decode(jpeg, header, "n.jpg");
        var full = decoded.Pixels;
        using var image = SequentialImage.Open(jpeg, header, "n.jpg", SequentialImage.LossyAlphaWebpWholeFramePixels,
            jpegWholeFramePixels: wholeJpeg ? SequentialImage.JpegWholeFramePixels : 0);
        Assert.Equal((full.Width, full.Height), (image.Width, image.Height));
        Assert.Equal(orientation >= 5 ? (200, 300) : (300, 200), (image.Width, image.Height));

        PixelRect[] areas =
        [
            new(0, 0, image.Width, 17),                                // a top band
            new(0, image.Height - 23, image.Width, 23),               // a bottom band
            new(31, 47, 90, 61),                                     // an off-centre window
            new(0, 0, image.Width, image.Height),                     // the whole frame
            new(image.Width - 1, image.Height - 1, 1, 1),             // the last pixel
        ];
        var read = image.Read(areas);
        for (int i = 0; i < areas.Length; i++)
        {
            Assert.Equal((areas[i].Width, areas[i].Height, 3), (read[i].Width, read[i].Height, read[i].Bands));
            Assert.True(Crop(full, areas[i], 3).AsSpan().SequenceEqual(read[i].Data), $"area {areas[i]} differs in orientation {orientation}");
        }
    }

    [Theory]
    [InlineData(1)] [InlineData(6)] [InlineData(7)]
    public void A_shrunk_area_is_the_rounded_mean_of_each_block_alpha_included(int orientation)
    {
        byte[] png = Noise(orientation, "png", bands: 4);
        var header = ImageHeader.Read(png, MediaFormat.Png, "n.png");
        using var decoded = ImageCodec.Decode(png, header, "n.png");
        var full = decoded.Pixels;
        using var image = SequentialImage.Open(png, header, "n.png");
        Assert.Equal(4, image.Bands);
        var whole = Assert.Single(image.Read([new PixelRect(0, 0, image.Width, image.Height)]));
        Assert.True(full.Data.AsSpan().SequenceEqual(whole.Data), "the RGBA frame differs from the whole-frame decode");
        const int k = 3;
        var area = new PixelRect(6, 9, 15 * k, 11 * k);
        var shrunk = Assert.Single(image.Read([new ImageArea(area, k)]));
        Assert.Equal((15, 11, 4), (shrunk.Width, shrunk.Height, shrunk.Bands));
        for (int y = 0; y < 11; y++)
            for (int x = 0; x < 15; x++)
                for (int b = 0; b < 4; b++)
                {
                    int sum = 0;
                    for (int dy = 0; dy < k; dy++)
                        for (int dx = 0; dx < k; dx++)
                            sum += full.Data[((area.Y + y * k + dy) * full.Width + area.X + x * k + dx) * full.Bands + b];
                    Assert.Equal((sum + k * k / 2) / (k * k), shrunk.Data[(y * 15 + x) * 4 + b]);
                }
        Assert.Throws<ArgumentOutOfRangeException>(() => image.Read([new ImageArea(new PixelRect(0, 0, 10, 9), k)]));
    }

    [Theory]
    [InlineData(1)] [InlineData(6)]
    public void A_jpegs_shrunk_areas_are_the_same_decoded_whole_or_streamed(int orientation)
    {
        byte[] jpeg = Noise(orientation);
        var header = ImageHeader.Read(jpeg, MediaFormat.Jpeg, "n.jpg");
        using var whole = SequentialImage.Open(jpeg, header, "n.jpg");
        using var streamed = SequentialImage.Open(jpeg, header, "n.jpg", SequentialImage.LossyAlphaWebpWholeFramePixels, jpegWholeFramePixels: 0);
        ImageArea[] areas = [new(new PixelRect(0, 0, 96, 48), 3), new(new PixelRect(10, whole.Height - 40, 80, 40), 4)];
        var a = whole.Read(areas);
        var b = streamed.Read(areas);
        for (int i = 0; i < areas.Length; i++)
        {
            Assert.Equal((b[i].Width, b[i].Height, b[i].Bands), (a[i].Width, a[i].Height, a[i].Bands));
            Assert.True(b[i].Data.AsSpan().SequenceEqual(a[i].Data), $"shrunk area {i} differs");
        }
    }

    [Fact]
    public void A_truncated_file_gets_the_whole_frame_decoders_typed_error()
    {
        byte[] jpeg = Noise(1);
        byte[] cut = jpeg[..(jpeg.Length * 2 / 3)];
        var header = ImageHeader.Read(cut, MediaFormat.Jpeg, "cut.jpg");
        var whole = Assert.Throws<LabelStampException>(() => ImageCodec.Decode(cut, header, "cut.jpg"));
        using var image = SequentialImage.Open(cut, header, "cut.jpg");
        var streamed = Assert.Throws<LabelStampException>(() => image.Read([new PixelRect(0, 190, 300, 10)]));
        Assert.Equal(whole.Code, streamed.Code);
    }

    [Fact]
    public void Edge_bands_hold_their_rows_only()
    {
        var top = new PixelBuffer(new byte[10 * 4 * 3], 10, 4, 3);
        var bottom = new PixelBuffer(Enumerable.Repeat((byte)9, 10 * 5 * 3).ToArray(), 10, 5, 3);
        var bands = new EdgeBands(100, top, bottom);
        Assert.Equal((10, 100, 3), (bands.Width, bands.Height, bands.ColourBands));
        Assert.True(bands.Holds(0, 4));
        Assert.True(bands.Holds(95, 100));
        Assert.False(bands.Holds(3, 5));
        Assert.False(bands.Holds(94, 100));
        Assert.Equal(9, bands.Row(99)[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => bands.Row(50));
    }
}
