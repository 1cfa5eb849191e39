using System.Globalization;
using System.Text.Json;
using LabelStamp.Labels;
using LabelStamp.Provenance;

namespace LabelStamp.Verification.Conformance;

/// <summary>
/// Judges one <see cref="VerifyReport"/> against the rules a provider answers to (spec §1): GB 45438 §5
/// (explicit label), GB 45438 Annex E (the implicit AIGC record), IPTC DigitalSourceType, and the EU AI Act
/// Art. 50(2) Code of Practice on marking (two machine-readable layers, a free detector). Every row is
/// computed from what verify measured and put in the report's details; a quantity verify did not measure is
/// <see cref="ConformanceStatus.NotMeasured"/>, never a pass.
/// </summary>
public static class ConformanceRules
{
    public const double MinInkHeightFraction = LabelPolicy.MinTextHeightFraction;
    public const double MinContrast = LabelStamp.Explicit.LabelContrast.Required;
    public const double MinOpeningSeconds = VideoInspector.RequiredOpeningSeconds;

    private const string Gb5 = "GB 45438 §5";
    private const string AnnexE = "GB 45438 Annex E";
    private const string Cop = "EU AI Act Art. 50(2), Code of Practice";

    /// <summary>The seven fields of an Annex E record, in the standard's order (spec §4).</summary>
    public static IReadOnlyList<string> AigcFields { get; } =
        ["Label", "ContentProducer", "ProduceID", "ReservedCode1", "ContentPropagator", "PropagateID", "ReservedCode2"];

    public static ConformanceReport Evaluate(VerifyReport report)
    {
        if (report.ErrorCode is not null)
        {
            string why = $"not measured: the file could not be verified ({report.ErrorCode}: {report.Error})";
            var rows = Ids.Select(r => new ConformanceCheck(r.Id, r.Rule, r.Requirement, ConformanceStatus.NotMeasured, why)).ToList();
            return new ConformanceReport(report.File, report.Format, report.Kind, rows) { ErrorCode = report.ErrorCode };
        }
        string kind = report.Kind ?? "image";
        var checks = new List<ConformanceCheck>();
        checks.AddRange(Explicit(report.Explicit, kind));
        checks.AddRange(Aigc(report.Metadata));
        checks.Add(SourceType(report, kind));
        checks.AddRange(EuLayers(report));
        return new ConformanceReport(report.File, report.Format, kind, checks);
    }

    /// <summary>Every row's id, rule and requirement, in report order.</summary>
    public static IReadOnlyList<(string Id, string Rule, string Requirement)> Ids { get; } =
    [
        ("explicit.position", Gb5, "a visible label at an edge or corner of the image or frame"),
        ("explicit.ink-height", Gb5, "text ink height ≥ 5 % of the shorter side"),
        ("explicit.contrast", "GB 45438 §5 (legible); spec §3", "text/plate contrast ≥ 4.5:1"),
        ("explicit.opening-duration", Gb5, "video: the label on screen from the start for ≥ 2 s"),
        ("explicit.audio-prompt", Gb5, "audio: a rhythm prompt (or voice prompt) at the start"),
        ("aigc.record", AnnexE, "exactly one AIGC record in the file's metadata"),
        ("aigc.fields", AnnexE, "the seven fields, each a string"),
        ("aigc.label", AnnexE, "Label is 1 (generated), 2 (possibly) or 3 (suspected)"),
        ("aigc.producer", AnnexE, "ContentProducer names the provider"),
        ("aigc.produce-id", AnnexE, "ProduceID names the content"),
        ("aigc.characters", AnnexE + "; spec §4", "values printable ASCII without space, \" or \\"),
        ("aigc.reserved-code1", "TC260 practice guide; spec §4", "ReservedCode1 integrity token verifies"),
        ("aigc.reserved-code2", "GB 45438 §6 (platforms); spec §8", "a platform's propagation fields carry a signature that verifies"),
        ("digital-source-type", "IPTC DigitalSourceType; spec §4, §6", "the file states it was made by a trained model"),
        ("eu.signed-metadata", Cop, "signed metadata: a valid C2PA manifest stating AI origin"),
        ("eu.watermark", Cop, "an imperceptible watermark"),
        ("eu.two-layers", Cop, "at least two machine-readable layers: signed metadata and a watermark"),
        ("eu.free-detector", Cop, "a free detector reads the file's marks"),
    ];

    private static ConformanceCheck Row(string id, ConformanceStatus status, string evidence)
    {
        var (_, rule, requirement) = Ids.First(r => r.Id == id);
        return new ConformanceCheck(id, rule, requirement, status, evidence);
    }

    private static IEnumerable<ConformanceCheck> Explicit(LayerFinding f, string kind)
    {
        string state = VerifyReportJson.StateName(f.State);
        bool notChecked = f.State == LayerState.NotChecked;
        if (kind == "audio")
        {
            const string visual = "audio has no picture; the audible prompt row applies";
            yield return Row("explicit.position", ConformanceStatus.NotApplicable, visual);
            yield return Row("explicit.ink-height", ConformanceStatus.NotApplicable, visual);
            yield return Row("explicit.contrast", ConformanceStatus.NotApplicable, visual);
            yield return Row("explicit.opening-duration", ConformanceStatus.NotApplicable, "audio: the prompt at the start applies instead");
            yield return AudioPrompt(f);
            yield break;
        }

        string? position = Text(f, "position");
        string frame = kind == "video" && Text(f, "label") is { } which
            ? $"{which} label in the frame at {Text(f, "frameSeconds") ?? "?"} s: " : "";
        if (notChecked) yield return Row("explicit.position", ConformanceStatus.NotMeasured, "not measured: " + f.Summary);
        else if (position is null)
            yield return Row("explicit.position", ConformanceStatus.Fail, $"no visible AI label found at any corner ({state}: {f.Summary})");
        else
            yield return Row("explicit.position", ConformanceStatus.Pass,
                $"{frame}'{Text(f, "wording") ?? Text(f, "opening") ?? Text(f, "corner")}' at the {position} corner, plate {Text(f, "width")}×{Text(f, "height")} px at ({Text(f, "x")}, {Text(f, "y")})");

        if (Number(f, "inkHeightFraction") is { } fraction)
            yield return Row("explicit.ink-height", fraction >= MinInkHeightFraction ? ConformanceStatus.Pass : ConformanceStatus.Fail,
                Invariant($"{frame}ink {Text(f, "inkHeight")} px of a {Text(f, "shortSide")} px shorter side = {100 * fraction:0.0} % (needs ≥ {100 * MinInkHeightFraction:0} %)"));
        else
            yield return Row("explicit.ink-height", ConformanceStatus.NotMeasured, "not measured: no visible label to measure");

        if (Number(f, "contrast") is { } contrast)
            yield return Row("explicit.contrast", contrast >= MinContrast ? ConformanceStatus.Pass : ConformanceStatus.Fail,
                Invariant($"{frame}text level {Text(f, "textLuma")} on plate level {Text(f, "plateLuma")} (median luma) = {contrast:0.00}:1 (needs ≥ {MinContrast:0.0}:1)"));
        else
            yield return Row("explicit.contrast", ConformanceStatus.NotMeasured, "not measured: no visible label to measure");

        if (kind != "video")
            yield return Row("explicit.opening-duration", ConformanceStatus.NotApplicable, "a still image has no duration");
        else
            yield return OpeningDuration(f);

        if (kind == "video")
            yield return Row("explicit.audio-prompt", ConformanceStatus.NotApplicable,
                "video: the visible label applies" + (Text(f, "audioPrompt") is { } a ? $"; an audio rhythm prompt was also found at {a} s" : ""));
        else
            yield return Row("explicit.audio-prompt", ConformanceStatus.NotApplicable, "a still image has no sound");
    }

    private static ConformanceCheck OpeningDuration(LayerFinding f)
    {
        if (f.State == LayerState.NotChecked) return Row("explicit.opening-duration", ConformanceStatus.NotMeasured, "not measured: " + f.Summary);
        if (Text(f, "opening") is null)
            return Row("explicit.opening-duration", ConformanceStatus.Fail, "no opening label in the frame at 1 s" + (Text(f, "corner") is { } c ? $" (only the corner label '{c}')" : ""));
        string probes = Text(f, "openingProbes") is { } p ? $" (frames checked at {p.Replace(",", ", ", StringComparison.Ordinal)} s)" : "";
        if (Number(f, "openingGoneAt") is { } gone && gone < MinOpeningSeconds)
            return Row("explicit.opening-duration", ConformanceStatus.Fail, Invariant($"opening label gone at {gone:0.00} s{probes}; needs ≥ {MinOpeningSeconds:0} s"));
        if (Number(f, "openingSeenUntil") is { } seen)
            return seen >= MinOpeningSeconds
                ? Row("explicit.opening-duration", ConformanceStatus.Pass, Invariant($"opening label on screen from the first frame for ≥ {seen:0.00} s{probes}"))
                : Row("explicit.opening-duration", ConformanceStatus.Fail, Invariant($"opening label on screen for {seen:0.00} s only (the video ends){probes}; needs ≥ {MinOpeningSeconds:0} s"));
        return Row("explicit.opening-duration", ConformanceStatus.NotMeasured, "not measured: the opening frames could not be sampled");
    }

    private static ConformanceCheck AudioPrompt(LayerFinding f)
    {
        if (f.State == LayerState.NotChecked) return Row("explicit.audio-prompt", ConformanceStatus.NotMeasured, "not measured: " + f.Summary);
        string what = Text(f, "promptKind") == "voice-clip" ? "provider voice prompt" : "rhythm prompt (short-long-short-short)";
        if (Text(f, "promptStart") is { } start)
            return Row("explicit.audio-prompt", ConformanceStatus.Pass, $"{what} at {start} s" + (Text(f, "promptEnd") is { } e ? $", again at {e} s" : ""));
        if (Text(f, "promptEnd") is { } end)
            return Row("explicit.audio-prompt", ConformanceStatus.Fail, $"{what} only at the end ({end} s); GB 45438 §5 asks for one at the start");
        return Row("explicit.audio-prompt", ConformanceStatus.Fail, f.Summary);
    }

    private static IEnumerable<ConformanceCheck> Aigc(LayerFinding f)
    {
        string where = Text(f, "where") ?? "metadata";
        if (f.State == LayerState.NotChecked)
        {
            foreach (var id in new[] { "aigc.record", "aigc.fields", "aigc.label", "aigc.producer", "aigc.produce-id", "aigc.characters", "aigc.reserved-code1", "aigc.reserved-code2" })
                yield return Row(id, ConformanceStatus.NotMeasured, "not measured: " + f.Summary);
            yield break;
        }
        // The record's fields: from the parsed record, or read again from the raw text of one that did not parse.
        Dictionary<string, JsonValueKind>? kinds = null;
        Dictionary<string, string>? values = null;
        string? parseProblem = null;
        if (Text(f, "Label") is not null)
        {
            values = AigcFields.Where(k => Text(f, k) is not null).ToDictionary(k => k, k => Text(f, k)!);
            kinds = values.Keys.ToDictionary(k => k, _ => JsonValueKind.String);
        }
        else if (Text(f, "raw") is { } raw)
        {
            (kinds, values, parseProblem) = ReadRaw(raw);
        }
        int records = (int)(Number(f, "records") ?? (values is null && Text(f, "raw") is null ? 0 : 1));

        if (values is null && parseProblem is null)
            yield return Row("aigc.record", ConformanceStatus.Fail, $"no AIGC record in {where}");
        else if (records > 1)
            yield return Row("aigc.record", ConformanceStatus.Fail, $"{records} AIGC records in {where}; GB 45438 allows exactly one");
        else if (parseProblem is not null)
            yield return Row("aigc.record", ConformanceStatus.Fail, $"the AIGC record in {where} is not a JSON object: {parseProblem}");
        else
            yield return Row("aigc.record", ConformanceStatus.Pass, $"one AIGC record in {where}");

        if (values is null || kinds is null)
        {
            string why = parseProblem is null ? "not measured: no AIGC record to check" : "not measured: the record could not be read";
            foreach (var id in new[] { "aigc.fields", "aigc.label", "aigc.producer", "aigc.produce-id", "aigc.characters", "aigc.reserved-code1", "aigc.reserved-code2" })
                yield return Row(id, ConformanceStatus.NotMeasured, why);
            yield break;
        }

        var missing = AigcFields.Where(k => !kinds.ContainsKey(k)).ToList();
        var notText = AigcFields.Where(k => kinds.TryGetValue(k, out var t) && t != JsonValueKind.String).ToList();
        var extra = kinds.Keys.Where(k => !AigcFields.Contains(k)).ToList();
        yield return missing.Count == 0 && notText.Count == 0 && extra.Count == 0
            ? Row("aigc.fields", ConformanceStatus.Pass, "all seven fields present, each a string")
            : Row("aigc.fields", ConformanceStatus.Fail, string.Join("; ", new[]
            {
                missing.Count > 0 ? "missing " + string.Join(", ", missing) : null,
                notText.Count > 0 ? "not a string: " + string.Join(", ", notText) : null,
                extra.Count > 0 ? "unknown fields: " + string.Join(", ", extra) : null,
            }.Where(x => x is not null)));

        string? label = values.GetValueOrDefault("Label");
        yield return label is AigcLabel.Generated or AigcLabel.PossiblyGenerated or AigcLabel.SuspectedGenerated
            ? Row("aigc.label", ConformanceStatus.Pass, $"Label \"{label}\" ({(label == AigcLabel.Generated ? "generated" : label == AigcLabel.PossiblyGenerated ? "possibly generated" : "suspected generated")})")
            : Row("aigc.label", ConformanceStatus.Fail, label is null ? "no Label" : $"Label \"{Clip(label)}\" is none of 1, 2, 3");

        string? producer = values.GetValueOrDefault("ContentProducer");
        yield return string.IsNullOrEmpty(producer)
            ? Row("aigc.producer", ConformanceStatus.Fail, "ContentProducer is empty or missing")
            : Row("aigc.producer", ConformanceStatus.Pass, $"ContentProducer {Clip(producer)} ({producer.Length} characters" + (producer.Length == 27 ? ", the TC260 length)" : "; TC260 practice uses 27)"));

        string? produceId = values.GetValueOrDefault("ProduceID");
        yield return string.IsNullOrEmpty(produceId)
            ? Row("aigc.produce-id", ConformanceStatus.Fail, "ProduceID is empty or missing")
            : Row("aigc.produce-id", ConformanceStatus.Pass, $"ProduceID {Clip(produceId)}");

        var badCharacters = values.Where(kv => kv.Value.Any(c => !AllowedCharacter(c))).Select(kv => kv.Key).ToList();
        yield return badCharacters.Count == 0
            ? Row("aigc.characters", ConformanceStatus.Pass, "every value is printable ASCII without space, \" or \\")
            : Row("aigc.characters", ConformanceStatus.Fail, "characters outside 0x21, 0x23–0x5B, 0x5D–0x7E in " + string.Join(", ", badCharacters));

        yield return SignatureRow("aigc.reserved-code1", Text(f, "signature"), Text(f, "signatureKeyId"), values.GetValueOrDefault("ReservedCode1"), "ReservedCode1");
        if (string.IsNullOrEmpty(values.GetValueOrDefault("ContentPropagator")))
            yield return Row("aigc.reserved-code2", ConformanceStatus.NotApplicable, "no ContentPropagator: no platform has published the file yet");
        else
            yield return SignatureRow("aigc.reserved-code2", Text(f, "propagationSignature"), Text(f, "propagationKeyId"), values.GetValueOrDefault("ReservedCode2"), "ReservedCode2");
    }

    private static ConformanceCheck SignatureRow(string id, string? status, string? keyId, string? value, string field) => status switch
    {
        "valid" => Row(id, ConformanceStatus.Pass, $"{field} verifies under key {keyId}"),
        "invalid" => Row(id, ConformanceStatus.Fail, $"{field} does not verify under key {keyId}: the record was edited after signing"),
        "malformed" => Row(id, ConformanceStatus.Fail, $"{field} is not an LS1 token: {Clip(value ?? "")}"),
        "unknownkey" => Row(id, ConformanceStatus.NotMeasured, $"not measured: {field} is signed with key {keyId ?? "?"}, which this verifier does not hold"),
        "absent" => Row(id, ConformanceStatus.NotApplicable, $"{field} is empty (reserved by Annex E; no integrity token)"),
        _ => Row(id, ConformanceStatus.NotMeasured, $"not measured: the signature state of {field} is unknown"),
    };

    private static ConformanceCheck SourceType(VerifyReport report, string kind)
    {
        var stated = new List<(string Where, string Value)>();
        if (Text(report.Metadata, "DigitalSourceType") is { } xmp) stated.Add(("XMP Iptc4xmpExt:DigitalSourceType", xmp));
        if (Text(report.Provenance, "digitalSourceType") is { } c2pa && report.Provenance.State == LayerState.Found) stated.Add(("C2PA c2pa.created action", c2pa));
        var ai = stated.Where(s => C2paReport.IsAiSourceType(s.Value)).ToList();
        string list = string.Join("; ", stated.Select(s => $"{s.Where} = {s.Value}"));
        if (ai.Count > 0) return Row("digital-source-type", ConformanceStatus.Pass, list);
        if (stated.Count > 0) return Row("digital-source-type", ConformanceStatus.Fail, list + " (not an AI source type)");
        if (report.Provenance.State == LayerState.NotChecked && report.Metadata.State != LayerState.Found && kind != "image")
            return Row("digital-source-type", ConformanceStatus.NotMeasured, "not measured: " + report.Provenance.Summary);
        return Row("digital-source-type", ConformanceStatus.Fail,
            kind == "image" ? "no DigitalSourceType in the XMP and no valid C2PA manifest stating one" : "no valid C2PA manifest stating a DigitalSourceType (the only place spec §6 gives it in this format)");
    }

    private static IEnumerable<ConformanceCheck> EuLayers(VerifyReport report)
    {
        var c2pa = report.Provenance;
        ConformanceCheck signed = c2pa.State switch
        {
            LayerState.Found when c2pa.AiGenerated != false => Row("eu.signed-metadata", ConformanceStatus.Pass, "C2PA manifest valid: " + c2pa.Summary),
            LayerState.Found => Row("eu.signed-metadata", ConformanceStatus.Fail, "C2PA manifest valid but states no AI origin: " + c2pa.Summary),
            LayerState.Invalid => Row("eu.signed-metadata", ConformanceStatus.Fail, "C2PA manifest present but invalid: " + c2pa.Summary),
            LayerState.NotChecked => Row("eu.signed-metadata", ConformanceStatus.Fail, "no signed metadata: " + c2pa.Summary),
            _ => Row("eu.signed-metadata", ConformanceStatus.Fail, "no C2PA manifest" + (Text(report.Metadata, "signature") == "valid" ? " (the AIGC record's ReservedCode1 is a keyed integrity token, not a public signature)" : "")),
        };
        yield return signed;

        var w = report.Watermark;
        string wState = VerifyReportJson.StateName(w.State);
        ConformanceCheck mark = wState switch
        {
            "found" or "present" => Row("eu.watermark", ConformanceStatus.Pass, $"{wState}: {w.Summary}"),
            "not-checked" => Row("eu.watermark", ConformanceStatus.NotMeasured, "not measured: " + w.Summary),
            _ => Row("eu.watermark", ConformanceStatus.Fail, $"{wState}: {w.Summary}"),
        };
        yield return mark;

        ConformanceStatus both = signed.Status == ConformanceStatus.Pass && mark.Status == ConformanceStatus.Pass ? ConformanceStatus.Pass
            : signed.Status == ConformanceStatus.Fail || mark.Status == ConformanceStatus.Fail ? ConformanceStatus.Fail
            : ConformanceStatus.NotMeasured;
        yield return Row("eu.two-layers", both, $"signed metadata: {Word(signed.Status)}; watermark: {Word(mark.Status)}");

        var read = new List<string>();
        if (report.Metadata.State == LayerState.Found) read.Add("AIGC metadata");
        if (wState is "found" or "present") read.Add("watermark");
        if (c2pa.CountsAsAiLabel) read.Add("C2PA manifest");
        yield return read.Count > 0
            ? Row("eu.free-detector", ConformanceStatus.Pass, $"read free of charge by labelstamp verify and POST /verify of labelstamp serve: {string.Join(", ", read)}")
            : Row("eu.free-detector", ConformanceStatus.Fail, "labelstamp verify (free) reads no machine-readable AI mark in this file"
                + (w.State == LayerState.NotChecked ? " (the watermark was not checked: no key)" : ""));
    }

    /// <summary>pass, fail, not-applicable or not-measured: the report's words.</summary>
    public static string Word(ConformanceStatus status) => JsonNamingPolicy.KebabCaseLower.ConvertName(status.ToString());

    private static (Dictionary<string, JsonValueKind>?, Dictionary<string, string>?, string?) ReadRaw(string raw)
    {
        try
        {
            using var doc = JsonDocument.Parse(raw);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return (null, null, $"a JSON {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}");
            var kinds = new Dictionary<string, JsonValueKind>(StringComparer.Ordinal);
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                kinds[p.Name] = p.Value.ValueKind;
                if (p.Value.ValueKind == JsonValueKind.String) values[p.Name] = p.Value.GetString()!;
            }
            return (kinds, values, null);
        }
        catch (JsonException e)
        {
            return (null, null, e.Message.Split('.')[0]);
        }
    }

    /// <summary>Annex E values (spec §4): 0x21, 0x23–0x5B, 0x5D–0x7E.</summary>
    private static bool AllowedCharacter(char c) => c is '!' or (>= '#' and <= '[') or (>= ']' and <= '~');

    private static string? Text(LayerFinding f, string key) => f.Details is { } d && d.TryGetValue(key, out var v) ? v : null;

    private static double? Number(LayerFinding f, string key) =>
        Text(f, key) is { } t && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v : null;

    private static string Clip(string s) => Errors.PrintableText.Escape(s.Length > 80 ? s[..80] + "…" : s);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
