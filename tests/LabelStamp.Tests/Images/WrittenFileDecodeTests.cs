using LabelStamp.Labels;
using LabelStamp.Marks;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Pipeline;
using LabelStamp.TestSupport;
using NetVips;

namespace LabelStamp.Tests.Images;

/// <summary>
/// The stamp's check of its own lossy output decodes that file without parsing its header again and, for an opaque
/// lossy WebP in display orientation through libwebp alone, and a JPEG in display orientation through libjpeg-turbo alone
/// (<see cref="ImageCodec.DecodeWritten"/>). The check must
/// still see exactly the pixels a fresh decode of the delivered file gives (what `verify` and every viewer decode):
/// a stand-in watermarker keeps the pixels it was asked about, and they are compared with
/// <see cref="ImageCodec.Decode"/> of the output, for each path (libwebp, libvips' WebP with alpha, libturbojpeg's JPEG
/// in 4:2:0, 4:4:4 and grey, an EXIF-rotated JPEG and WebP, which take the full decode).
/// </summary>
public sealed class WrittenFileDecodeTests
{
    /// <summary>Says "embedded", keeps a copy of every frame it is asked to check, and answers that the mark reads.</summary>
    private sealed class RecordingWatermarker : IImageWatermarker
    {
        public List<PixelBuffer> Checked { get; } = [];

        public MarkEmbedding Embed(PixelBuffer pixels, MarkKey key, MarkId markId, bool selfCheck = true)
        {
            // A visible change, so the check is not handed the input's own pixels by accident.
            for (int i = 0; i < pixels.Data.Length; i += 7) pixels.Data[i] ^= 0x10;
            return MarkEmbedding.Applied;
        }

        public bool ReadsBack(PixelBuffer pixels, MarkKey key, MarkId markId)
        {
            Checked.Add(new PixelBuffer((byte[])pixels.Data.Clone(), pixels.Width, pixels.Height, pixels.Bands));
            return true;
        }

        public MarkVerdict Read(PixelBuffer pixels, MarkKey key) => throw new NotSupportedException();
    }

    private static readonly MarkKey Key = MarkKey.FromBytes(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());

    private static byte[] Photo(int width, int height)
    {
        VipsRuntime.EnsureInitialised();
        using var photo = Image.NewFromFile(RepoPaths.Samples("images", "storm.jpg"));
        using var rgb = photo.ThumbnailImage(width, height: height, size: Enums.Size.Force);
        return rgb.WriteToMemory<byte>();
    }

    private static Image Raw(byte[] samples, int width, int height, int bands)
    {
        using var raw = Image.NewFromMemory(samples, width, height, bands, Enums.BandFormat.Uchar);
        return raw.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    public static TheoryData<string> Inputs() => ["webp", "webp-exif", "webp-alpha", "webp-rotated", "jpeg", "jpeg-444", "jpeg-grey", "jpeg-rotated"];

    private static byte[] Input(string kind)
    {
        const int w = 330, h = 270; // odd macroblock and MCU counts
        byte[] rgb = Photo(w, h);
        using var image = Raw(rgb, w, h, 3);
        switch (kind)
        {
            case "webp": return image.WebpsaveBuffer(q: 80);
            case "webp-exif":
                using (var tagged = image.Mutate(m => m.Set(GValue.GIntType, "orientation", 1))) return tagged.WebpsaveBuffer(q: 80, keep: Enums.ForeignKeep.All);
            case "webp-rotated":
                using (var tagged = image.Mutate(m => m.Set(GValue.GIntType, "orientation", 6))) return tagged.WebpsaveBuffer(q: 80, keep: Enums.ForeignKeep.All);
            case "webp-alpha":
                using (var xy = Image.Xyz(w, h))
                using (var x = xy[0])
                using (var alpha = (x * 2).Cast(Enums.BandFormat.Uchar))
                using (var rgba = image.Bandjoin(alpha))
                    return rgba.WebpsaveBuffer(q: 80);
            case "jpeg": return image.JpegsaveBuffer(q: 85);
            // libvips writes 4:4:4 chroma from q90.
            case "jpeg-444": return image.JpegsaveBuffer(q: 95);
            case "jpeg-grey":
                using (var grey = image.Colourspace(Enums.Interpretation.Bw)) return grey.JpegsaveBuffer(q: 85);
            case "jpeg-rotated":
                using (var tagged = image.Mutate(m => m.Set(GValue.GIntType, "orientation", 6))) return tagged.JpegsaveBuffer(q: 85, keep: Enums.ForeignKeep.All);
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task The_check_sees_the_pixels_a_fresh_decode_of_the_output_gives(string kind)
    {
        byte[] input = Input(kind);
        var format = kind.StartsWith("webp", StringComparison.Ordinal) ? MediaFormat.WebP : MediaFormat.Jpeg;
        const string producer = "001191234567890123456700001";
        var ctx = new StampContext("in." + format.Name, format, new StampRequest("written-1", producer, new LabelPolicy { Layers = Layers.Watermark | Layers.Metadata }),
            Key, MarkId.Compute(Key, producer, "written-1"), new AigcLabel(AigcLabel.Generated, producer, "written-1"), new MediaLimits(), new StageTimings());
        var watermarker = new RecordingWatermarker();
        var (output, applied) = await new ImageLabeler(watermarker: watermarker).LabelAsync(input, ctx, default);

        Assert.Equal(Layers.Watermark, applied & Layers.Watermark);
        var seen = Assert.Single(watermarker.Checked);
        using var fresh = ImageCodec.Decode(output, ImageHeader.Read(output, format, "out"), "out");
        Assert.Equal((fresh.Pixels.Width, fresh.Pixels.Height, fresh.Pixels.Bands), (seen.Width, seen.Height, seen.Bands));
        Assert.True(fresh.Pixels.Data.AsSpan(0, fresh.Pixels.Stride * fresh.Pixels.Height).SequenceEqual(seen.Data.AsSpan(0, seen.Stride * seen.Height)));
        // The input's pixels are not what was checked: the stand-in's change went through the encode.
        using var before = ImageCodec.Decode(input, ImageHeader.Read(input, format, "in"), "in");
        Assert.False(before.Pixels.Data.AsSpan().SequenceEqual(seen.Data.AsSpan(0, seen.Stride * seen.Height)));
        if (kind == "webp-alpha") Assert.Equal(4, seen.Bands);
        if (kind == "jpeg-grey") Assert.Equal(1, seen.Bands);
        if (kind.EndsWith("rotated", StringComparison.Ordinal)) Assert.Equal((270, 330), (seen.Width, seen.Height));
    }

    [Fact]
    public void Only_an_opaque_still_lossy_webp_is_read_by_libwebp_alone()
    {
        Assert.True(WebpCropDecoder.ReadsOpaque(Input("webp")));
        Assert.True(WebpCropDecoder.ReadsOpaque(Input("webp-exif")));
        Assert.False(WebpCropDecoder.ReadsOpaque(Input("webp-alpha")));
        using var image = Raw(Photo(64, 48), 64, 48, 3);
        Assert.False(WebpCropDecoder.ReadsOpaque(image.WebpsaveBuffer(lossless: true)));
    }
}
