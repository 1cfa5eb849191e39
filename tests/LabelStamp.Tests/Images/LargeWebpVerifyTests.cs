using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Pipeline;
using LabelStamp.Verification;

namespace LabelStamp.Tests.Images;

/// <summary>
/// verify's WebP paths: a lossy WebP is read area by area through libwebp's cropping decoder
/// (<see cref="WebpCropDecoder"/>) and gives the pixels of libvips' whole-frame decode; a lossless
/// WebP over <see cref="MediaLimits.MaxVerifyLosslessWebpPixels"/> is not decoded and its two pixel
/// layers say why. Noise images from fixed seeds (5 and 6).
/// </summary>
public sealed class LargeWebpVerifyTests
{
    private static byte[] Crop(PixelBuffer full, PixelRect r)
    {
        var crop = new byte[r.Width * r.Height * 3];
        for (int y = 0; y < r.Height; y++)
            full.Data.AsSpan(((r.Y + y) * full.Width + r.X) * 3, r.Width * 3).CopyTo(crop.AsSpan(y * r.Width * 3));
        return crop;
    }

    [Fact]
    public void The_system_libwebp_is_there_to_bound_verify_of_large_lossy_WebP()
    {
        // The Dockerfile installs libwebp7; without it verify falls back to libvips' whole-frame decode.
        Assert.True(WebpCropDecoder.Available, "libwebp.so.7 is missing or its decoder ABI is not 0x0209");
    }

    [Fact]
    public void Lossy_WebP_areas_at_odd_and_even_origins_are_the_whole_frame_decode_cropped()
    {
        byte[] webp = ImageFixtures.Noise(301, 203, seed: 5, "webp");
        var header = ImageHeader.Read(webp, MediaFormat.WebP, "n.webp");
        Assert.False(header.WebpLossless);
        Assert.True(WebpCropDecoder.Reads(webp));
        using var decoded = ImageCodec.Decode(webp, header, "n.webp");
        using var image = SequentialImage.Open(webp, header, "n.webp");
        PixelRect[] areas =
        [
            new(0, 0, 301, 17),          // a top band
            new(0, 203 - 23, 301, 23),   // a bottom band starting on an odd row
            new(33, 47, 90, 61),         // odd column, odd row
            new(64, 32, 128, 96),        // even origin: decoded straight into the area
            new(0, 0, 301, 203),         // the whole frame
        ];
        var read = image.Read(areas);
        for (int i = 0; i < areas.Length; i++)
            Assert.True(Crop(decoded.Pixels, areas[i]).AsSpan().SequenceEqual(read[i].Data), $"area {areas[i]} differs");

        var shrunk = Assert.Single(image.Read([new ImageArea(new PixelRect(3, 5, 30, 20), 2)]));
        int sum = 0;
        for (int dy = 0; dy < 2; dy++)
            for (int dx = 0; dx < 2; dx++) sum += decoded.Pixels.Data[((5 + dy) * 301 + 3 + dx) * 3];
        Assert.Equal((15, 10), (shrunk.Width, shrunk.Height));
        Assert.Equal((sum + 2) / 4, shrunk.Data[0]);
    }

    [Fact]
    public void A_lossy_WebP_cut_short_gets_a_typed_error_from_the_cropping_decoder()
    {
        byte[] webp = ImageFixtures.Noise(200, 160, seed: 6, "webp");
        // Cut inside the "VP8 " chunk, with the RIFF and chunk sizes made to agree, so that the container
        // checks pass and the VP8 data itself ends early.
        int chunk = webp.AsSpan().IndexOf("VP8 "u8);
        Assert.True(chunk > 0);
        byte[] cut = webp[..((chunk + webp.Length) / 2 & ~1)];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(cut.AsSpan(4), (uint)(cut.Length - 8));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(cut.AsSpan(chunk + 4), (uint)(cut.Length - chunk - 8));
        var header = ImageHeader.Read(cut, MediaFormat.WebP, "cut.webp");
        using var image = SequentialImage.Open(cut, header, "cut.webp");
        var error = Assert.Throws<LabelStamp.Errors.LabelStampException>(() => image.Read([new PixelRect(0, 150, 200, 10)]));
        Assert.Equal(LabelStamp.Errors.ErrorCode.CorruptInput, error.Code);
    }

    [Fact]
    public async Task A_lossless_WebP_over_its_pixel_limit_is_not_decoded_and_says_why()
    {
        byte[] webp = ImageFixtures.Noise(64, 48, seed: 6, "webp-lossless");
        var options = new VerifyOptions { Limits = new MediaLimits { MaxVerifyLosslessWebpPixels = 3_000 } };
        var report = await new Verifier([new ImageInspector()]).VerifyAsync(webp, "big.webp", options);
        Assert.Null(report.ErrorCode);
        Assert.Equal(LayerState.NotChecked, report.Explicit.State);
        Assert.Equal(LayerState.NotChecked, report.Watermark.State);
        Assert.Contains("MaxVerifyLosslessWebpPixels", report.Explicit.Summary);
        Assert.NotEqual(LayerState.NotChecked, report.Metadata.State);

        var within = await new Verifier([new ImageInspector()]).VerifyAsync(webp, "small.webp", new VerifyOptions());
        Assert.NotEqual(LayerState.NotChecked, within.Explicit.State);

        var e = Assert.Throws<LabelStamp.Errors.LabelStampException>(() => new MediaLimits { MaxVerifyLosslessWebpPixels = 0 }.Validate());
        Assert.Equal(LabelStamp.Errors.ErrorCode.InvalidArgument, e.Code);
        Assert.Contains("MaxVerifyLosslessWebpPixels", e.Message);
    }
}
