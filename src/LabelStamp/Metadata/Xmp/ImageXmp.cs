using LabelStamp.Errors;
using LabelStamp.Formats;
using LabelStamp.Media;
using LabelStamp.Pipeline;

namespace LabelStamp.Metadata.Xmp;

/// <summary>
/// The XMP packet of an image (spec §4), wherever its format keeps it: each image format module knows its place
/// (JPEG APP1, PNG iTXt, WebP "XMP " chunk, the AVIF metadata item). Reading and writing touch only the container,
/// never the pixels.
/// </summary>
public static class ImageXmp
{
    /// <summary>The file's XMP packet, or null when it has none. A packet over
    /// <see cref="MetadataLimits.MaxXmpBytes"/> is refused before it is decoded or inflated.</summary>
    public static string? Read(ReadOnlyMemory<byte> file, MediaFormat format, string name, MetadataLimits? limits = null) =>
        Module(format, name).ReadXmp(file, name, limits ?? new MetadataLimits());

    /// <summary>Returns a copy of <paramref name="file"/> with its XMP replaced by (or set to) <paramref name="xmp"/>.</summary>
    public static byte[] Write(ReadOnlyMemory<byte> file, MediaFormat format, string xmp, string name) =>
        Module(format, name).WriteXmp(file, xmp, name);

    private static ImageFormatModule Module(MediaFormat format, string name) =>
        MediaCatalog.ImageModuleFor(format)
        ?? throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: XMP in {format} is not handled by the image path");
}
