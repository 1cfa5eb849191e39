using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Metadata.Xmp;
using LabelStamp.Pipeline;
using LabelStamp.Provenance;
using NetVips;

namespace LabelStamp.Formats.Heif;

/// <summary>
/// AVIF (AV1 in HEIF): 'ftyp' listing "avif"; size from 'ispe'; libvips' HEIF loader and saver (AV1 through the
/// bundled AOM encoder). XMP is a HEIF metadata item that libheif writes with the image, so the metadata layer hands
/// the packet to the encoder rather than editing the file afterwards. The C2PA store is a top-level 'uuid' box bound
/// by a BMFF hash, as for MP4 (C2PA §A.4.2); the item locations ('iloc') it moves are shifted with it.
/// </summary>
public sealed class AvifModule : ImageFormatModule
{
    public static readonly MediaFormat Avif = new("avif", MediaKind.Image, "image/avif", ".avif", []);

    public override MediaFormat Format => Avif;

    public override bool Matches(ReadOnlySpan<byte> head) => HeifBrands.Lists(head, ["avif"]);

    public override ManifestContainer CreateManifestContainer() => new BmffManifestContainer();

    public override bool BindsByBmffHash => true;

    public override bool XmpInEncoder => true;

    public override bool EncodesLossily(ImageHeader header) => true;

    public override int? LossyQuality(ImageHeader header, ImageEncodeOptions options) => options.AvifQuality;

    public override (ImageHeader Header, ImageEncodeOptions Options)? Finer(ImageHeader header, ImageEncodeOptions options) =>
        FinerQuality(options.AvifQuality) is int q ? (header, options with { AvifQuality = q }) : null;

    public override ImageHeader ReadHeader(ReadOnlyMemory<byte> data, string name)
    {
        var (w, h) = HeifImageSize.Read(data.Span, name);
        return new ImageHeader(Format, w, h);
    }

    public override Image Load(Source source, Enums.Access access, Enums.FailOn failOn) => Image.HeifloadSource(source, access: access, failOn: failOn);

    public override byte[] Save(Image image, ImageHeader header, ImageEncodeOptions options, string name) =>
        image.HeifsaveBuffer(q: options.AvifQuality, compression: Enums.ForeignHeifCompression.Av1,
            keep: image.Contains(XmpField) ? KeepAllButXmp | Enums.ForeignKeep.Xmp : KeepAllButXmp);

    public override byte[] SaveWithXmp(Image image, ImageHeader header, ImageEncodeOptions options, string xmp, string name)
    {
        using var tagged = image.Mutate(m => m.Set(GValue.BlobType, XmpField, System.Text.Encoding.UTF8.GetBytes(xmp)));
        return Save(tagged, header, options, name);
    }

    /// <summary>Read through libheif's item table (libvips exposes the XMP item as a field; no pixel is decoded).</summary>
    public override string? ReadXmp(ReadOnlyMemory<byte> file, string name, MetadataLimits limits)
    {
        VipsRuntime.EnsureInitialised();
        try
        {
            using var image = Image.HeifloadBuffer(file.ToArray());
            return image.Contains(XmpField) ? XmpText.Decode((byte[])image.Get(XmpField), limits, name) : null;
        }
        catch (VipsException e)
        {
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: AVIF container cannot be read ({e.Message.Split('\n')[0]})", e);
        }
    }

    public override byte[] WriteXmp(ReadOnlyMemory<byte> file, string xmp, string name) =>
        throw new LabelStampException(ErrorCode.UnsupportedFormat,
            $"{name}: AVIF XMP is written with the image (stamp); updating it in place (platform mode) is not supported yet");

    private const string XmpField = "xmp-data";
}
