using LabelStamp.Explicit;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Metadata.Xmp;

namespace LabelStamp.Verification;

/// <summary>Reads every layer of a JPEG, PNG or WebP: XMP from the container (no decode), then the
/// pixels once for the visible label and the watermark.</summary>
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
        using var decoded = ImageCodec.Decode(input, header, name);
        var match = _detector.Detect(decoded.Pixels, options.Wordings, options.Policy);
        LayerFinding visible;
        if (match is null) visible = new LayerFinding(LayerState.NotFound, "no visible AI label at the corners");
        else
        {
            var details = new Dictionary<string, string>
            {
                ["wording"] = match.Wording.Text, ["corner"] = Corner(match), ["x"] = match.X.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["y"] = match.Y.ToString(System.Globalization.CultureInfo.InvariantCulture), ["score"] = match.Score.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture),
            };
            string measured = "";
            if (LabelMeasurement.Measure(decoded.Pixels, match) is { } measure)
            {
                ExplicitDetails.Add(details, measure, match.Corner);
                measured = string.Create(System.Globalization.CultureInfo.InvariantCulture, $", ink {measure.InkHeight} px = {100 * measure.InkHeightFraction:0.0} % of {measure.ShortSide} px, contrast {measure.Contrast:0.0}:1");
            }
            visible = new LayerFinding(LayerState.Found, $"'{match.Wording}' at {Corner(match)} (match {match.Score:0.00}){measured}", details);
        }

        LayerFinding watermark;
        if (_watermarker is null) watermark = LayerFinding.NotChecked("not checked: no watermark codec in this build");
        else if (options.Key is null) watermark = LayerFinding.NotChecked("not checked: no key (--key-file or LABELSTAMP_MARK_KEY)");
        else watermark = WatermarkFinding.From(_watermarker.Read(decoded.Pixels, options.Key));

        MarkId? mark = watermark.Details is { } d && d.TryGetValue("markId", out var m) ? MarkId.Parse(m) : null;
        var provenance = C2paFinding.From(input.ToArray(), name, mark, options.Limits.Metadata, options.TrustAnchors);
        return Task.FromResult(new VerifyReport(name, format.Name, visible, metadata, watermark, provenance) { Kind = "image" });
    }

    private static string Corner(ExplicitLabelMatch m) => m.Corner.ToString().ToLowerInvariant() switch
    {
        "bottomright" => "bottom-right", "bottomleft" => "bottom-left", "topright" => "top-right", _ => "top-left",
    };
}
