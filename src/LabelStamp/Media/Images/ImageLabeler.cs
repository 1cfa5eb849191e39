using LabelStamp.Explicit;
using LabelStamp.Formats.Png;
using LabelStamp.Labels;
using LabelStamp.Marks;
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

        bool checkEncoded = ChecksEncodedFile(header, ctx);
        byte[] output = Encode(input, header, xmp, ctx, checkEncoded, ref applied);
        // The frame is dead once encoded, but a large one (300 MB at 100 MP) would otherwise wait for the
        // large-object heap's budget while the provenance stage copies the encoded file, whole, a few times
        // more; collecting here keeps those copies from stacking on top of it. The frame is only reachable
        // from Encode's frame, which has returned. Aggressive: the space freed must go back to the system,
        // not stay committed in regions the provenance stage's large copies do not fit in (a 100 MP PNG
        // peaked 240 MB higher in provenance with a plain collection once the encode had freed its frame).
        if (_encode.IsLarge(header.Width, header.Height)) GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return (output, applied);
    }

    /// <summary>Whether the mark is checked on the encoded file rather than on the pixels given to the encoder
    /// (<see cref="MarkCheckedEncode.ChecksFile"/>). The check before the encode would prove less (those pixels are
    /// not the file's) for about what the decode costs, so it is skipped then, except where the pixels' check may stand for
    /// the file's (<see cref="MarkCheckedEncode.MayCheckPixelsInstead"/>).</summary>
    private bool ChecksEncodedFile(ImageHeader header, StampContext ctx) =>
        _watermarker is not null && (ctx.Request.Policy.Layers & Layers.Watermark) != 0 && MarkCheckedEncode.ChecksFile(header);

    /// <summary>Whether the mark reads from the file just encoded from a frame of <paramref name="header"/> and
    /// <paramref name="orientation"/> (<see cref="ImageCodec.DecodeWritten"/>).</summary>
    private bool ReadsBackFromFile(byte[] output, ImageHeader header, int orientation, StampContext ctx) =>
        _watermarker!.ReadsBack(ImageCodec.DecodeWritten(output, header, orientation, ctx.Name), ctx.Key, ctx.MarkId);

    /// <summary>Decode, draw the label and the watermark, encode, and put the XMP in: the encoded file.</summary>
    private byte[] Encode(ReadOnlyMemory<byte> input, ImageHeader header, string? xmp, StampContext ctx, bool checkEncoded, ref Layers applied)
    {
        var t = ctx.Timings;
        using var decoded = t.Measure("decode", () => ImageCodec.Decode(input, header, ctx.Name));
        var (drawn, pixelsStand, encode) = Draw(decoded, header, ctx, checkEncoded);
        applied |= drawn;
        // A mark that read in the pixels with the margin the rule asks for is not checked on the file again.
        if (pixelsStand) checkEncoded = false;
        // The label and the watermark leave garbage behind (the mark's block statistics: about 100 MB at
        // 100 MP) that the encoders' native buffers (libvips' output, libwebp's YUV picture) cannot
        // reuse; a large frame's is collected and given back to the system before the encode.
        if (_encode.IsLarge(header.Width, header.Height)) GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        // XMP the encoder writes (AVIF's), or that goes in while the encoder's pieces are joined (PNG: no parse and
        // copy of the whole file afterwards); the other formats' files are edited once encoded.
        bool xmpWithEncode = MediaCatalog.ImageModuleFor(ctx.Format) is { XmpInEncoder: true } or { XmpAtJoin: true };
        string? encoderXmp = xmpWithEncode ? xmp : null;
        byte[] output;
        if (checkEncoded && (applied & Layers.Watermark) != 0)
        {
            int orientation = decoded.Orientation;
            (output, bool reads) = MarkCheckedEncode.Encode(decoded, header, _encode, ctx.Name, file => ReadsBackFromFile(file, header, orientation, ctx), encoderXmp, t);
            if (!reads)
            {
                applied &= ~Layers.Watermark;
                ctx.Notices.Add(new LayerNotice(Layers.Watermark, "the mark does not read back from the encoded file, even at the highest quality (self-check after the lossy encode)"));
            }
        }
        else output = t.Measure("encode", () => ImageCodec.Encode(decoded, header, encode, ctx.Name, encoderXmp));
        if (xmp is null) return output;
        if (!xmpWithEncode) output = t.Measure("metadata", () => ImageXmp.Write(output, ctx.Format, xmp, ctx.Name));
        applied |= Layers.Metadata;
        return output;
    }

    /// <summary>The visible label and the watermark, drawn into the frame. The frame is read here, not by
    /// the caller, so that no reference to it stays in the caller's stack frame (unoptimised code keeps
    /// temporaries reported until the method returns) when the encoder releases it.</summary>
    /// <returns>The layers drawn, and whether the pixels' own check stands for the output file's
    /// (<see cref="MarkCheckedEncode.PixelsSuffice"/>): where the measurements say the output's settings cannot take a mark
    /// that reads in the pixels with a wide margin, the pixels are checked first, and a mark they do not read, or read
    /// with a thin margin, is still left to the file check; and the encoder settings for the frame drawn (a marked PNG's
    /// row filter, <see cref="ChoosesPngFilter"/>).</returns>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private (Layers Applied, bool PixelsStand, ImageEncodeOptions Encode) Draw(DecodedImage decoded, ImageHeader header, StampContext ctx, bool checkEncoded)
    {
        var pixels = decoded.Pixels;
        var policy = ctx.Request.Policy;
        var t = ctx.Timings;
        var applied = Layers.None;

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
            bool checkPixelsFirst = checkEncoded && MarkCheckedEncode.MayCheckPixelsInstead(header, _encode, pixels.HasAlpha);
            // A PNG's row filter left open is decided by how much of the frame's rows the mark stops repeating (PngFilterChoice).
            double? unmarkedRepeats = ChoosesPngFilter(header) ? PngFilterChoice.RepeatedShare(pixels) : null;
            var embedding = t.Measure("watermark", () => _watermarker.Embed(pixels, ctx.Key, ctx.MarkId, selfCheck: !checkEncoded || checkPixelsFirst));
            var encode = unmarkedRepeats is { } before
                ? _encode with { PngFilter = PngFilterChoice.ForMarked(before, PngFilterChoice.RepeatedShare(pixels)) }
                : _encode;
            // A pixels' check that ran ahead of a file check and did not read leaves the answer to the file (as without it).
            if (embedding.Readable || (checkEncoded && embedding.Margin is not null)) applied |= Layers.Watermark;
            else ctx.Notices.Add(new LayerNotice(Layers.Watermark, embedding.Reason ?? "no readable mark"));
            return (applied, checkPixelsFirst && MarkCheckedEncode.PixelsSuffice(header, _encode, pixels.HasAlpha, embedding.Margin), encode);
        }

        return (applied, false, _encode);
    }

    /// <summary>Whether the stamp chooses the row filter of this frame once marked (<see cref="PngFilterChoice"/>): a PNG
    /// output whose settings name no filter.</summary>
    private bool ChoosesPngFilter(ImageHeader header) => header.Format == MediaFormat.Png && _encode.PngFilter is null;
}
