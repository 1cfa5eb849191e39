using System.Text;
using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Metadata.Containers;
using LabelStamp.Metadata.Xmp;
using LabelStamp.Pipeline;
using LabelStamp.Provenance;
using NetVips;

namespace LabelStamp.Formats.WebP;

/// <summary>WebP: RIFF form type "WEBP"; lossless (VP8L) or lossy kept on output, animation refused; XMP in the
/// "XMP " chunk with the VP8X flag; the C2PA store in a RIFF "C2PA" chunk (C2PA §A.3.4).</summary>
public sealed class WebpModule : ImageFormatModule
{
    public override MediaFormat Format => MediaFormat.WebP;

    public override bool EncodesLossily(ImageHeader header) => !header.WebpLossless;

    public override int? LossyQuality(ImageHeader header, ImageEncodeOptions options) => header.WebpLossless ? null : options.WebpQuality;

    public override (ImageHeader Header, ImageEncodeOptions Options)? Finer(ImageHeader header, ImageEncodeOptions options) =>
        !header.WebpLossless && FinerQuality(options.WebpQuality) is int q ? (header, options with { WebpQuality = q }) : null;

    public override string DisplayName => "WebP";

    public override bool Matches(ReadOnlySpan<byte> b) => b.Length >= 12 && b.StartsWith("RIFF"u8) && b.Slice(8, 4).SequenceEqual("WEBP"u8);

    public override ManifestContainer CreateManifestContainer() => new RiffManifestContainer();

    public override ImageHeader ReadHeader(ReadOnlyMemory<byte> data, string name)
    {
        var riff = RiffFile.Parse(data, name);
        var (w, h) = WebpCanvas.Size(riff, name);
        if (riff.IndexOf("ANIM") >= 0)
            throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: animated WebP is not supported yet");
        return new ImageHeader(Format, w, h) { WebpLossless = riff.IndexOf("VP8L") >= 0 };
    }

    public override Image Load(Source source, Enums.Access access, Enums.FailOn failOn) => Image.WebploadSource(source, access: access, failOn: failOn);

    public override byte[] Save(Image image, ImageHeader header, ImageEncodeOptions options, string name) =>
        header.WebpLossless
            ? image.WebpsaveBuffer(lossless: true, effort: options.WebpEffort(image.Width, image.Height), keep: KeepAllButXmp)
            : image.WebpsaveBuffer(q: options.WebpQuality, effort: options.WebpEffort(image.Width, image.Height), keep: KeepAllButXmp);

    public override string? ReadXmp(ReadOnlyMemory<byte> file, string name, MetadataLimits limits)
    {
        var riff = RiffFile.Parse(file, name);
        int i = riff.IndexOf("XMP ");
        return i < 0 ? null : XmpText.Decode(riff.Chunks[i].Data.Span, limits, name);
    }

    public override byte[] WriteXmp(ReadOnlyMemory<byte> file, string xmp, string name)
    {
        var riff = RiffFile.Parse(file, name);
        WebpCanvas.EnsureExtended(riff, WebpCanvas.FlagXmp, name);
        riff.Set(new RiffChunk("XMP ", Encoding.UTF8.GetBytes(xmp)), riff.Chunks.Count); // XMP is the last chunk by the container spec
        return riff.ToArray();
    }
}
