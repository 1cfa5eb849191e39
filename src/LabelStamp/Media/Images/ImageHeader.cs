using LabelStamp.Errors;
using LabelStamp.Metadata.Containers;

namespace LabelStamp.Media.Images;

/// <summary>
/// What the container header says, read without decoding a pixel: size (for the pixel-bomb check) and
/// the encoder settings the output should match (JPEG quality, chroma subsampling, progressive; PNG
/// interlace and depth; WebP lossless or lossy).
/// </summary>
public sealed record ImageHeader(MediaFormat Format, int Width, int Height)
{
    /// <summary>Estimated IJG quality of a JPEG, or null when its tables are not IJG-scaled.</summary>
    public int? JpegQuality { get; init; }
    /// <summary>True when the JPEG's chroma is subsampled (4:2:0 or 4:2:2), false for 4:4:4.</summary>
    public bool JpegChromaSubsampled { get; init; } = true;
    public bool Progressive { get; init; }
    public int PngBitDepth { get; init; } = 8;
    public bool PngInterlaced { get; init; }
    public bool WebpLossless { get; init; }

    public static ImageHeader Read(ReadOnlyMemory<byte> data, MediaFormat format, string name)
    {
        if (format == MediaFormat.Jpeg)
        {
            var jpeg = JpegFile.Parse(data, name);
            var (w, h, components) = jpeg.FrameSize(name);
            var sof = jpeg.Segments.First(s => s.IsStartOfFrame);
            bool subsampled = false;
            if (components >= 3 && sof.Payload.Length >= 6 + 3 * components)
            {
                byte lumaSampling = sof.Payload.Span[7];
                byte chromaSampling = sof.Payload.Span[10];
                subsampled = lumaSampling != chromaSampling;
            }
            return new ImageHeader(format, w, h)
            {
                JpegQuality = JpegQualityEstimator.Estimate(jpeg),
                JpegChromaSubsampled = subsampled,
                Progressive = sof.Marker is 0xC2 or 0xC6 or 0xCA or 0xCE,
            };
        }
        if (format == MediaFormat.Png)
        {
            var png = PngFile.Parse(data, name, verifyCrc: false);
            var (w, h, depth, _) = png.Header;
            return new ImageHeader(format, w, h) { PngBitDepth = depth, PngInterlaced = png.Chunks[0].Data.Span[12] == 1 };
        }
        if (format == MediaFormat.WebP)
        {
            var riff = RiffFile.Parse(data, name);
            var (w, h) = WebpCanvas.Size(riff, name);
            if (riff.IndexOf("ANIM") >= 0)
                throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: animated WebP is not supported yet");
            return new ImageHeader(format, w, h) { WebpLossless = riff.IndexOf("VP8L") >= 0 };
        }
        throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: {format} is not an image format");
    }
}
