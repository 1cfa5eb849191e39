using LabelStamp.Errors;
using LabelStamp.Formats;

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

    /// <summary>The format module's header reader (<see cref="ImageFormatModule.ReadHeader"/>).</summary>
    public static ImageHeader Read(ReadOnlyMemory<byte> data, MediaFormat format, string name) =>
        (Pipeline.MediaCatalog.ImageModuleFor(format) ?? throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: {format} is not an image format"))
            .ReadHeader(data, name);
}
