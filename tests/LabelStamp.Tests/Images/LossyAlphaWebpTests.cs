using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Verification;
using LabelStamp.TestSupport;
using NetVips;

namespace LabelStamp.Tests.Images;

/// <summary>
/// A lossy WebP with an alpha channel (VP8X + ALPH + "VP8 "), the WebP layout verify's libwebp path
/// treats apart: above 24 MP it reads colour areas from the "VP8 " chunk alone (no whole-frame alpha plane),
/// below it libvips streams the RGBA frame, and either must give libvips' pixels; stamp must keep the alpha and leave every layer readable.
/// The picture is storm.jpg at 640 × 400; the alpha is 0 over the left quarter, then a ramp to 255.
/// </summary>
public sealed class LossyAlphaWebpTests
{
    private const int Width = 640, Height = 400;

    private static byte[] AlphaWebp()
    {
        VipsRuntime.EnsureInitialised();
        using var photo = Image.NewFromFile(RepoPaths.Samples("images", "storm.jpg"));
        using var rgb = photo.ThumbnailImage(Width, height: Height, size: Enums.Size.Force);
        using var xy = Image.Xyz(Width, Height);
        using var x = xy[0];
        using var ramp = (x - Width / 4) * (255.0 / (Width / 2));
        using var alpha = ramp.Cast(Enums.BandFormat.Uchar); // casting clips to 0..255
        using var rgba = rgb.Bandjoin(alpha);
        using var tagged = rgba.Copy(interpretation: Enums.Interpretation.Srgb);
        return tagged.WebpsaveBuffer(q: 85);
    }

    private static byte[] LibvipsPixels(byte[] webp, int bands)
    {
        using var image = Image.NewFromBuffer(webp, access: Enums.Access.Random);
        Assert.Equal(4, image.Bands);
        using var wanted = bands == 4 ? image.Copy() : image.ExtractBand(0, n: 3);
        return wanted.WriteToMemory<byte>();
    }

    private static byte[] Crop(byte[] rgb, PixelRect r)
    {
        var crop = new byte[r.Width * r.Height * 3];
        for (int y = 0; y < r.Height; y++)
            rgb.AsSpan(((r.Y + y) * Width + r.X) * 3, r.Width * 3).CopyTo(crop.AsSpan(y * r.Width * 3));
        return crop;
    }

    [Fact]
    public void The_input_is_the_layout_under_test()
    {
        byte[] webp = AlphaWebp();
        var header = ImageHeader.Read(webp, MediaFormat.WebP, "a.webp");
        Assert.False(header.WebpLossless);
        Assert.True(WebpCropDecoder.Reads(webp));
        Assert.True(webp.AsSpan().IndexOf("ALPH"u8) > 0, "no ALPH chunk: the encoder dropped the alpha");
        var (start, length) = WebpCropDecoder.ColourChunk(webp);
        Assert.True(webp.AsSpan(start, 4).SequenceEqual("VP8 "u8), $"chunk at {start} is not VP8");
        Assert.True(start > webp.AsSpan().IndexOf("ALPH"u8));
        Assert.Equal(8 + (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(webp.AsSpan(start + 4)), length);

        // A simple-format file (RIFF header and the "VP8 " chunk, no VP8X) is passed whole.
        byte[] simple = [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBP"u8, .. webp.AsSpan(start, length)];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(simple.AsSpan(4), (uint)(simple.Length - 8));
        Assert.Equal((0, simple.Length), WebpCropDecoder.ColourChunk(simple));
        Assert.True(WebpCropDecoder.Reads(simple));
    }

    [Fact]
    public void The_colour_chunk_walk_stops_at_sizes_past_the_end_and_steps_over_odd_padding()
    {
        static byte[] Riff(params byte[][] chunks)
        {
            byte[] body = [.. "WEBP"u8, .. chunks.SelectMany(c => c)];
            byte[] file = [.. "RIFF"u8, 0, 0, 0, 0, .. body];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)body.Length);
            return file;
        }
        static byte[] Chunk(string id, uint size, int actual)
        {
            var c = new byte[8 + actual];
            System.Text.Encoding.ASCII.GetBytes(id).CopyTo(c, 0);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(c.AsSpan(4), size);
            return c;
        }

        byte[] vp8x = Chunk("VP8X", 10, 10);
        // An odd-sized chunk is followed by a pad byte; the VP8 chunk after it is found.
        byte[] odd = Riff(vp8x, Chunk("ALPH", 5, 6), Chunk("VP8 ", 4, 4));
        Assert.Equal((12 + 18 + 14, 12), WebpCropDecoder.ColourChunk(odd));
        // A chunk claiming 4 GiB ends the walk: the whole file goes to libwebp, which refuses it.
        byte[] huge = Riff(vp8x, Chunk("ALPH", uint.MaxValue, 6), Chunk("VP8 ", 4, 4));
        Assert.Equal((0, huge.Length), WebpCropDecoder.ColourChunk(huge));
        // A VP8 chunk cut short is not handed over alone either.
        byte[] cut = Riff(vp8x, Chunk("VP8 ", 100, 4));
        Assert.Equal((0, cut.Length), WebpCropDecoder.ColourChunk(cut));
        // Too short for a chunk header after RIFF/WEBP, and no VP8 chunk at all.
        Assert.Equal((0, 14), WebpCropDecoder.ColourChunk(Riff().Concat(new byte[2]).ToArray()));
        byte[] none = Riff(vp8x, Chunk("ALPH", 4, 4));
        Assert.Equal((0, none.Length), WebpCropDecoder.ColourChunk(none));
    }

    [Fact]
    public void Stamp_decodes_the_RGBA_frame_and_verify_reads_the_same_RGBA_areas_or_a_large_frames_colour_areas_as_libvips_does()
    {
        byte[] webp = AlphaWebp();
        var header = ImageHeader.Read(webp, MediaFormat.WebP, "a.webp");

        using (var decoded = ImageCodec.Decode(webp, header, "a.webp"))
        {
            Assert.Equal((Width, Height, 4), (decoded.Pixels.Width, decoded.Pixels.Height, decoded.Pixels.Bands));
            Assert.True(LibvipsPixels(webp, 4).AsSpan().SequenceEqual(decoded.Pixels.Data), "the RGBA frame differs from libvips' decode");
        }

        // Up to SequentialImage.LossyAlphaWebpWholeFramePixels verify streams the frame with its alpha, as stamp decodes it.
        using (var withAlpha = SequentialImage.Open(webp, header, "a.webp"))
        {
            Assert.Equal(4, withAlpha.Bands);
            var whole = Assert.Single(withAlpha.Read([new PixelRect(0, 0, Width, Height)]));
            Assert.True(LibvipsPixels(webp, 4).AsSpan().SequenceEqual(whole.Data), "verify's RGBA frame differs from libvips' decode");
        }

        // Above it, colour areas through libwebp's cropping decoder (the threshold lowered to take that path here).
        byte[] rgb = LibvipsPixels(webp, 3);
        using var image = SequentialImage.Open(webp, header, "a.webp", lossyAlphaWebpWholeFramePixels: 0);
        Assert.Equal(3, image.Bands);
        PixelRect[] areas =
        [
            new(0, 0, Width, 17),            // top band, through the transparent quarter
            new(0, Height - 23, Width, 23),  // bottom band starting on an odd row
            new(33, 47, 190, 61),            // across the edge of the transparent quarter
            new(0, 0, Width, Height),        // the whole frame
        ];
        var read = image.Read(areas);
        for (int i = 0; i < areas.Length; i++)
            Assert.True(Crop(rgb, areas[i]).AsSpan().SequenceEqual(read[i].Data), $"area {areas[i]} differs");
    }

    [Fact]
    public void A_lossy_WebP_with_alpha_cut_inside_its_colour_data_is_a_typed_error_for_verify()
    {
        byte[] webp = AlphaWebp();
        var (start, length) = WebpCropDecoder.ColourChunk(webp);
        // Cut halfway through the "VP8 " chunk's data, with the RIFF and chunk sizes made to agree, so that
        // the container checks pass and the colour data itself ends early.
        byte[] cut = webp[..((start + 8 + (length - 8) / 2) & ~1)];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(cut.AsSpan(4), (uint)(cut.Length - 8));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(cut.AsSpan(start + 4), (uint)(cut.Length - start - 8));
        Assert.Equal((start, cut.Length - start), WebpCropDecoder.ColourChunk(cut));
        var header = ImageHeader.Read(cut, MediaFormat.WebP, "cut.webp");
        using var image = SequentialImage.Open(cut, header, "cut.webp", lossyAlphaWebpWholeFramePixels: 0);
        var e = Assert.Throws<LabelStamp.Errors.LabelStampException>(() => image.Read([new PixelRect(0, Height - 20, Width, 20)]));
        Assert.Equal(LabelStamp.Errors.ErrorCode.CorruptInput, e.Code);
    }

    [Fact]
    public async Task A_stamped_lossy_WebP_keeps_its_alpha_and_verify_finds_every_layer()
    {
        byte[] webp = AlphaWebp();
        var result = ImageFixtures.Stamp(webp, "a.webp");
        Assert.Equal(Layers.Explicit | Layers.Metadata | Layers.Watermark, result.Applied & (Layers.Explicit | Layers.Metadata | Layers.Watermark));
        Assert.False(ImageHeader.Read(result.Output, MediaFormat.WebP, "out.webp").WebpLossless);

        using (var back = Image.NewFromBuffer(result.Output))
        {
            Assert.Equal((Width, Height, 4), (back.Width, back.Height, back.Bands));
            // The transparent quarter stays transparent; the opaque side stays opaque.
            Assert.Equal(0, back.Getpoint(5, Height / 2)[3]);
            Assert.Equal(255, back.Getpoint(Width - 5, 5)[3]);
        }

        var report = await ImageFixtures.Catalog.CreateVerifier().VerifyAsync(result.Output, "out.webp", new VerifyOptions { Key = ImageFixtures.Key });
        Assert.Equal(LayerState.Found, report.Explicit.State);
        Assert.Equal(LayerState.Found, report.Metadata.State);
        Assert.Equal(LayerState.Found, report.Watermark.State);
    }
}
