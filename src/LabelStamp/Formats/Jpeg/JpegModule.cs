using System.Text;
using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Metadata.Containers;
using LabelStamp.Metadata.Xmp;
using LabelStamp.Pipeline;
using LabelStamp.Provenance;
using NetVips;

namespace LabelStamp.Formats.Jpeg;

/// <summary>JPEG: SOI magic; quality, chroma layout, progressive and JFIF density matched on output; XMP in APP1
/// "http://ns.adobe.com/xap/1.0/"; the C2PA store in APP11 segments (C2PA §A.3.1).</summary>
public sealed class JpegModule : ImageFormatModule
{
    public override MediaFormat Format => MediaFormat.Jpeg;

    public override bool Matches(ReadOnlySpan<byte> b) => b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF;

    public override IReadOnlyList<string> ContentTypeAliases => ["image/jpg", "image/pjpeg"];

    public override ManifestContainer CreateManifestContainer() => new JpegManifestContainer();

    public override ImageHeader ReadHeader(ReadOnlyMemory<byte> data, string name)
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
        return new ImageHeader(Format, w, h)
        {
            JpegQuality = JpegQualityEstimator.Estimate(jpeg),
            JpegChroma420 = chroma420,
            Progressive = sof.Marker is 0xC2 or 0xC6 or 0xCA or 0xCE,
            JfifHeader = JfifOf(jpeg),
        };
    }

    public override Image Load(Source source, Enums.Access access, Enums.FailOn failOn) => Image.JpegloadSource(source, access: access, failOn: failOn);

    public override bool EncodesLossily(ImageHeader header) => true;

    public override int? LossyQuality(ImageHeader header, ImageEncodeOptions options) => header.JpegQuality ?? options.DefaultJpegQuality;

    public override (ImageHeader Header, ImageEncodeOptions Options)? Finer(ImageHeader header, ImageEncodeOptions options) =>
        FinerQuality(header.JpegQuality ?? options.DefaultJpegQuality) is int q ? (header with { JpegQuality = q }, options) : null;

    public override byte[] Save(Image image, ImageHeader header, ImageEncodeOptions options, string name) =>
        KeepJfif(image.JpegsaveBuffer(q: header.JpegQuality ?? options.DefaultJpegQuality, optimizeCoding: !options.IsLarge(image.Width, image.Height),
            interlace: header.Progressive,
            subsampleMode: header.JpegChroma420 ? Enums.ForeignSubsample.On : Enums.ForeignSubsample.Off,
            keep: KeepAllButXmp), header, name);

    public override string? ReadXmp(ReadOnlyMemory<byte> file, string name, MetadataLimits limits)
    {
        var seg = JpegFile.Parse(file, name).Segments.FirstOrDefault(s => s.IsApp(JpegSegment.App1, XmpNames.JpegApp1Identifier));
        return seg is null ? null : XmpText.Decode(seg.Payload.Span[XmpNames.JpegApp1Identifier.Length..], limits, name);
    }

    public override byte[] WriteXmp(ReadOnlyMemory<byte> file, string xmp, string name)
    {
        byte[] packet = Encoding.UTF8.GetBytes(xmp);
        var jpeg = JpegFile.Parse(file, name);
        byte[] payload = [.. XmpNames.JpegApp1Identifier, .. packet];
        if (payload.Length > JpegSegment.MaxPayload)
            throw new LabelStampException(ErrorCode.MetadataTooLarge, $"{name}: XMP packet of {packet.Length} bytes does not fit one JPEG APP1 segment");
        var segment = new JpegSegment(JpegSegment.App1, payload);
        int i = jpeg.Segments.FindIndex(s => s.IsApp(JpegSegment.App1, XmpNames.JpegApp1Identifier));
        jpeg.Segments.RemoveAll(s => s.IsApp(JpegSegment.App1, XmpNames.JpegApp1Identifier));
        jpeg.Segments.Insert(i >= 0 ? Math.Min(i, jpeg.Segments.Count) : jpeg.MetadataInsertIndex(), segment);
        return jpeg.ToArray();
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

    /// <summary>Puts the input's JFIF header (its density exactly) first in the output, in place of the
    /// encoder's or where the encoder wrote none.</summary>
    private static byte[] KeepJfif(byte[] output, ImageHeader header, string name)
    {
        if (header.JfifHeader is not { } jfif) return output;
        var file = JpegFile.Parse(output, name);
        file.Segments.RemoveAll(s => s.IsApp(JpegSegment.App0, "JFIF\0"u8));
        file.Segments.Insert(0, new JpegSegment(JpegSegment.App0, jfif));
        return file.ToArray();
    }
}
