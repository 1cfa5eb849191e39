using LabelStamp.Explicit;
using LabelStamp.Labels;
using LabelStamp.Metadata.Xmp;
using LabelStamp.Pipeline;

namespace LabelStamp.Media.Images;

/// <summary>
/// The image adapter (JPEG, PNG, WebP): header limits → decode to display orientation → visible label
/// → watermark → encode with matched settings → XMP (TC260:AIGC + DigitalSourceType) merged into the
/// input's XMP. One decode and one encode per item; everything else works on the in-memory pixels.
/// </summary>
public sealed class ImageLabeler : IMediaLabeler
{
    private readonly LabelRenderer _renderer;
    private readonly ImageEncodeOptions _encode;
    private readonly IImageWatermarker? _watermarker;

    public ImageLabeler(ImageEncodeOptions? encode = null, LabelRenderer? renderer = null, IImageWatermarker? watermarker = null)
    {
        _encode = encode ?? new ImageEncodeOptions();
        _renderer = renderer ?? new LabelRenderer();
        _watermarker = watermarker;
    }

    public bool Handles(MediaFormat format) => MediaCatalog.ImageModuleFor(format) is not null;

    public Task<(byte[] Output, Layers Applied)> LabelAsync(ReadOnlyMemory<byte> input, StampContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Label(input, context));
    }

    private (byte[] Output, Layers Applied) Label(ReadOnlyMemory<byte> input, StampContext ctx)
    {
        var policy = ctx.Request.Policy;
        var t = ctx.Timings;
        var header = ImageHeader.Read(input, ctx.Format, ctx.Name);
        ctx.Limits.CheckPixels(header.Width, header.Height, ctx.Name);
        var applied = Layers.None;
        // The input's XMP is read first, so a hostile packet is refused and an existing record found before the decode.
        string? xmp = t.Measure("xmp-read", () =>
        {
            string? existing = ImageXmp.Read(input, ctx.Format, ctx.Name, ctx.Limits.Metadata);
            if (existing is not null) RestampGuard.Check(XmpPacket.Read(existing, ctx.Limits.Metadata, ctx.Name).AigcJson, ctx);
            return (policy.Layers & Layers.Metadata) != 0
                ? XmpPacket.Merge(existing, ctx.Aigc.ToJson(), limits: ctx.Limits.Metadata, name: ctx.Name)
                : null;
        });

        using var decoded = t.Measure("decode", () => ImageCodec.Decode(input, header, ctx.Name));
        var pixels = decoded.Pixels;

        if ((policy.Layers & Layers.Explicit) != 0)
        {
            t.Measure("explicit", () =>
            {
                int textHeight = LabelGeometry.TextHeight(pixels.Width, pixels.Height, policy);
                var overlay = _renderer.Render(policy.Wording, policy.Font, textHeight, policy.PlateOpacity);
                LabelCompositor.Apply(pixels, overlay, policy.Corner, LabelGeometry.Inset(pixels.Width, pixels.Height, policy), ctx.Name);
            });
            applied |= Layers.Explicit;
        }

        if ((policy.Layers & Layers.Watermark) != 0 && _watermarker is not null)
        {
            var embedding = t.Measure("watermark", () => _watermarker.Embed(pixels, ctx.Key, ctx.MarkId));
            if (embedding.Readable) applied |= Layers.Watermark;
            else ctx.Notices.Add(new LayerNotice(Layers.Watermark, embedding.Reason ?? "no readable mark"));
        }

        bool xmpInEncoder = MediaCatalog.ImageModuleFor(ctx.Format) is { XmpInEncoder: true };
        byte[] output = t.Measure("encode", () => ImageCodec.Encode(decoded, header, _encode, ctx.Name, xmpInEncoder ? xmp : null));

        if (xmp is not null)
        {
            if (!xmpInEncoder) output = t.Measure("metadata", () => ImageXmp.Write(output, ctx.Format, xmp, ctx.Name));
            applied |= Layers.Metadata;
        }
        return (output, applied);
    }
}
