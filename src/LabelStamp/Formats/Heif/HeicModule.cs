using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Pipeline;
using LabelStamp.Provenance;
using NetVips;

namespace LabelStamp.Formats.Heif;

/// <summary>
/// HEIC and other non-AV1 HEIF images: 'ftyp' listing "heic", "heix", "mif1", …. Recognised so they are named for what
/// they are instead of being taken for an MP4 movie, but not labeled: the libvips bundled with NetVips.Native has no
/// HEVC codec (its libheif carries AV1 only; saving with HEVC compression fails "unable to call heifsave_buffer"), so
/// the image cannot be decoded. The C2PA store location is the BMFF one, so verify reads a manifest others embedded.
/// </summary>
public sealed class HeicModule : ImageFormatModule
{
    public static readonly MediaFormat Heic = new("heic", MediaKind.Image, "image/heic", ".heic", [".heif", ".hif"]);

    public override MediaFormat Format => Heic;

    public override string DisplayName => "HEIC/HEIF";

    public override bool Supported => false;

    public override bool Matches(ReadOnlySpan<byte> head) => HeifBrands.Lists(head, ["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"]);

    public override IReadOnlyList<string> ContentTypeAliases => ["image/heif", "image/heic-sequence", "image/heif-sequence"];

    public override ManifestContainer CreateManifestContainer() => new BmffManifestContainer();

    public override bool BindsByBmffHash => true;

    public override ImageHeader ReadHeader(ReadOnlyMemory<byte> data, string name) => throw NoCodec(name);

    public override Image Load(Source source, Enums.Access access, Enums.FailOn failOn) => throw NoCodec("input");

    public override byte[] Save(Image image, ImageHeader header, ImageEncodeOptions options, string name) => throw NoCodec(name);

    public override string? ReadXmp(ReadOnlyMemory<byte> file, string name, MetadataLimits limits) => throw NoCodec(name);

    public override byte[] WriteXmp(ReadOnlyMemory<byte> file, string xmp, string name) => throw NoCodec(name);

    private static LabelStampException NoCodec(string name) =>
        new(ErrorCode.UnsupportedFormat, $"{name}: HEIC/HEIF (HEVC) images are recognised but this build's libvips has no HEVC codec; convert to AVIF, JPEG or PNG");
}
