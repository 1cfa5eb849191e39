using LabelStamp.Explicit;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Metadata.Xmp;

namespace LabelStamp.Verification;

/// <summary>
/// Reads every layer of a JPEG, PNG or WebP: XMP from the container (no decode), then the pixels once
/// for the visible label and the watermark. Only what the detectors read is kept: the bands along the
/// top and bottom edges where a corner label can be, and the central window the watermark detector
/// folds (<see cref="SequentialImage"/>). On a photo of ordinary size both cover the whole frame and
/// are one buffer; on a 100-megapixel image they keep verify's peak memory within 512 MiB
/// (docs/security.md).
/// </summary>
public sealed class ImageInspector : IMediaInspector
{
    private readonly ExplicitLabelDetector _detector;
    private readonly IImageWatermarker? _watermarker;

    public ImageInspector(ExplicitLabelDetector? detector = null, IImageWatermarker? watermarker = null)
    {
        _detector = detector ?? new ExplicitLabelDetector();
        _watermarker = watermarker;
    }

    public bool Handles(MediaFormat format) => Pipeline.MediaCatalog.ImageModuleFor(format) is not null;

    public Task<VerifyReport> InspectAsync(ReadOnlyMemory<byte> input, string name, MediaFormat format, VerifyOptions options, CancellationToken cancellationToken)
    {
        var header = ImageHeader.Read(input, format, name);
        options.Limits.CheckPixels(header.Width, header.Height, name);

        string? xmp = ImageXmp.Read(input, format, name, options.Limits.Metadata);
        var fields = xmp is null ? null : XmpPacket.Read(xmp, options.Limits.Metadata, name);
        var metadata = AigcFinding.FromJson(fields?.AigcJson, fields?.DigitalSourceType, fields?.AigcCount ?? 0, options.Key, "XMP TC260:AIGC");

        cancellationToken.ThrowIfCancellationRequested();
        LayerFinding visible, watermark;
        long pixelCount = (long)header.Width * header.Height;
        if (format == MediaFormat.WebP && header.WebpLossless && pixelCount > options.Limits.MaxVerifyLosslessWebpPixels)
        {
            string reason = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"not checked: a lossless WebP of {pixelCount / 1e6:0.#} Mpx is decoded whole, over Limits:MaxVerifyLosslessWebpPixels ({options.Limits.MaxVerifyLosslessWebpPixels / 1e6:0.#} Mpx)");
            visible = LayerFinding.NotChecked(reason);
            watermark = LayerFinding.NotChecked(reason);
        }
        else (visible, watermark) = PixelLayers(input, header, name, options, cancellationToken);

        MarkId? mark = watermark.Details is { } d && d.TryGetValue("markId", out var m) ? MarkId.Parse(m) : null;
        var provenance = C2paFinding.From(ImageCodec.WholeArray(input), name, mark, options.Limits.Metadata, options.TrustAnchors);
        return Task.FromResult(new VerifyReport(name, format.Name, visible, metadata, watermark, provenance) { Kind = "image" });
    }

    /// <summary>The visible label and the watermark, from one bounded decode.</summary>
    private (LayerFinding Visible, LayerFinding Watermark) PixelLayers(ReadOnlyMemory<byte> input, ImageHeader header, string name, VerifyOptions options, CancellationToken cancellationToken)
    {
        var pixels = Decode(input, header, name, options, cancellationToken);
        var window = pixels.Window;
        var visible = VisibleLabel(pixels, options); // the edge bands are garbage from here on

        LayerFinding watermark;
        if (_watermarker is null) watermark = LayerFinding.NotChecked("not checked: no watermark codec in this build");
        else if (options.Key is null) watermark = LayerFinding.NotChecked("not checked: no key (--key-file or LABELSTAMP_MARK_KEY)");
        else watermark = WatermarkFinding.From(_watermarker.Read(window!, options.Key));
        return (visible, watermark);
    }

    /// <summary>
    /// Side of the central window the watermark detector is given. The detector reads at most the
    /// central 8 periods of 256 px plus borders (2,050 px) at full size and the same at its 2 × 2
    /// level, i.e. the central 4,100 px of the frame; 4,608 leaves a margin. Within a dimension larger
    /// than the window, the window starts at a multiple of <see cref="WindowAlignment"/>.
    /// </summary>
    internal const int WatermarkWindowSide = 4608;

    /// <summary>The detector's tile phase at both pyramid levels (256 px, and 256 px of the 2 × 2 level)
    /// and its 2 × 2 pairing are unchanged by a crop starting at a multiple of 512 px, so at the untouched
    /// geometry (a stamped file re-encoded or cropped) the fold, the offsets and the statistics are those
    /// of the whole frame. A lattice found at another scale or angle folds with another phase: its
    /// statistics move a little (measured: an unmarked 6,000 × 4,000 photo's sync statistic 4.68 → 4.84,
    /// bound 1 either way; the stamped copies read the same mark, offsets and statistics).</summary>
    internal const int WindowAlignment = 512;

    /// <summary>The central window in one dimension: the whole extent when it is at most the window
    /// side plus two alignments, otherwise centred on the frame's centre (same parity) with an
    /// aligned start, so every centred computation of the detector lands on the same pixels.</summary>
    internal static (int Start, int Length) WindowSpan(int extent)
    {
        int start = Math.Max(0, (extent - WatermarkWindowSide) / 2) / WindowAlignment * WindowAlignment;
        return (start, extent - 2 * start);
    }

    /// <summary>
    /// Shorter side above which the visible label is looked for on a copy shrunk by an integer factor
    /// (the mean of each block). The detector renders every wording at the label's size for the image,
    /// and at five smaller sizes when none matched; at 100 MP those renders (text 550 px high) cost
    /// 5 s and 320 MB. The label scales with the image (<see cref="LabelGeometry"/>), so a shrunk copy
    /// shows it at the size the rule gives the smaller image, as after any resize, which the
    /// detector's offset search absorbs.
    /// </summary>
    internal const int LabelSearchSide = 4096;

    /// <summary>The pixels the detectors read: the edge bands (shrunk by <paramref name="EdgeScale"/>)
    /// of an image whose shorter side is <paramref name="ShortSide"/>, and the watermark's central
    /// window (full size), or null without a key.</summary>
    private sealed record DetectorPixels(IPixelRows Edges, int EdgeScale, int ShortSide, PixelBuffer? Window);

    private DetectorPixels Decode(ReadOnlyMemory<byte> input, ImageHeader header, string name, VerifyOptions options, CancellationToken ct)
    {
        using var image = SequentialImage.Open(input, header, name);
        int w = image.Width, h = image.Height;
        // The edge bands are found in the frame the label detector sees: w / k × h / k; the full-size rows
        // past the last whole block (fewer than k) are left out, as a resize would.
        int k = (Math.Min(w, h) + LabelSearchSide - 1) / LabelSearchSide;
        int wk = w / k, hk = h / k;
        int depth = _detector.EdgeDepth(wk, hk, options.Wordings, options.Policy);
        bool bands = 2 * depth < hk;
        var areas = new List<ImageArea>(3);
        if (bands)
        {
            areas.Add(new ImageArea(new PixelRect(0, 0, wk * k, depth * k), k));
            areas.Add(new ImageArea(new PixelRect(0, (hk - depth) * k, wk * k, depth * k), k));
        }
        else areas.Add(new ImageArea(new PixelRect(0, 0, wk * k, hk * k), k));
        PixelRect? window = null;
        if (_watermarker is not null && options.Key is not null)
        {
            var (x, width) = WindowSpan(w);
            var (y, height) = WindowSpan(h);
            window = new PixelRect(x, y, width, height);
            if (areas[0] != new ImageArea(window.Value, 1)) areas.Add(new ImageArea(window.Value, 1));
        }
        var read = image.Read(areas, ct);
        PixelBuffer? windowPixels = window is null ? null : read[^1];
        IPixelRows edges = bands
            ? new EdgeBands(hk, read[0], read[1])
            : read[0];
        return new DetectorPixels(edges, k, Math.Min(w, h), windowPixels);
    }

    /// <summary>The visible-label finding. Positions and sizes found on a shrunk copy are given in the
    /// image's own pixels, to within the shrink factor.</summary>
    private LayerFinding VisibleLabel(DetectorPixels pixels, VerifyOptions options)
    {
        var (edges, scale) = (pixels.Edges, pixels.EdgeScale);
        var match = _detector.Detect(edges, options.Wordings, options.Policy);
        if (match is null) return new LayerFinding(LayerState.NotFound, "no visible AI label at the corners");
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var details = new Dictionary<string, string>
        {
            ["wording"] = match.Wording.Text, ["corner"] = Corner(match), ["x"] = (match.X * scale).ToString(inv),
            ["y"] = (match.Y * scale).ToString(inv), ["score"] = match.Score.ToString("0.000", inv),
        };
        string measured = "";
        if (LabelMeasurement.Measure(edges, match) is { } m)
        {
            var measure = scale == 1 ? m : m with
            {
                X = m.X * scale, Y = m.Y * scale, Width = m.Width * scale, Height = m.Height * scale,
                InkHeight = m.InkHeight * scale, ShortSide = pixels.ShortSide,
            };
            ExplicitDetails.Add(details, measure, match.Corner);
            measured = string.Create(inv, $", ink {measure.InkHeight} px = {100 * measure.InkHeightFraction:0.0} % of {measure.ShortSide} px, contrast {measure.Contrast:0.0}:1");
            if (scale > 1) measured += string.Create(inv, $", measured on a 1/{scale} copy");
        }
        return new LayerFinding(LayerState.Found, $"'{match.Wording}' at {Corner(match)} (match {match.Score:0.00}){measured}", details);
    }

    private static string Corner(ExplicitLabelMatch m) => m.Corner.ToString().ToLowerInvariant() switch
    {
        "bottomright" => "bottom-right", "bottomleft" => "bottom-left", "topright" => "top-right", _ => "top-left",
    };
}
