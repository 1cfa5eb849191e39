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
    /// <summary>
    /// True when the JPEG's chroma is halved both ways (4:2:0), the only subsampled layout libvips'
    /// writer has. Any other layout (4:4:4, and 4:2:2 or 4:4:0, which keep full chroma resolution in one
    /// direction) is written 4:4:4: it costs bytes, but never throws away chroma detail the input had.
    /// </summary>
    public bool JpegChroma420 { get; init; } = true;
    public bool Progressive { get; init; }

    /// <summary>The input's JFIF APP0 header (version, density unit and X/Y density), without its
    /// thumbnail; null when the input has none. libvips drops it when it writes Exif, and would write
    /// the density back in dots per cm, rounded (72 dpi became 28 px/cm = 71.12 dpi).</summary>
    public ReadOnlyMemory<byte>? JfifHeader { get; init; }
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
            bool chroma420 = false;
            if (components >= 3 && sof.Payload.Length >= 6 + 3 * components)
            {
                // Sampling factors are H << 4 | V per component; chroma is 4:2:0 when luma has twice the
                // chroma's factor both horizontally and vertically.
                byte luma = sof.Payload.Span[7], chroma = sof.Payload.Span[10];
                chroma420 = (luma >> 4) == 2 * (chroma >> 4) && (luma & 0xF) == 2 * (chroma & 0xF);
            }
            return new ImageHeader(format, w, h)
            {
                JpegQuality = JpegQualityEstimator.Estimate(jpeg),
                JpegChroma420 = chroma420,
                Progressive = sof.Marker is 0xC2 or 0xC6 or 0xCA or 0xCE,
                JfifHeader = JfifOf(jpeg),
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

    /// <summary>"JFIF\0", version (2), unit, X and Y density (2 each), thumbnail size set to 0 by 0.</summary>
    private static ReadOnlyMemory<byte>? JfifOf(JpegFile jpeg)
    {
        var app0 = jpeg.Segments.FirstOrDefault(s => s.IsApp(JpegSegment.App0, "JFIF\0"u8));
        if (app0 is null || app0.Payload.Length < 12) return null;
        byte[] header = new byte[14];
        app0.Payload.Span[..12].CopyTo(header);
        return header;
    }
}
