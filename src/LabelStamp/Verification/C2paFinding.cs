using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Pipeline;
using LabelStamp.Provenance;

namespace LabelStamp.Verification;

/// <summary>
/// Report row for the C2PA layer (spec §9): found = a manifest whose signature, assertion hashes and hard
/// binding hold; invalid = a manifest that is present but broken (content edited after signing, bad
/// signature, malformed store). Certificate trust is judged against configured anchors (signerTrust) and
/// reported beside validity, as C2PA keeps "valid" and "trusted" apart. Only a manifest
/// whose digitalSourceType is an AI term counts as an AI label; digitalCapture or no source type is reported
/// (row found, <c>aiGenerated</c> false) but not counted.
/// </summary>
public static class C2paFinding
{
    private static readonly System.Text.Json.JsonSerializerOptions TreeJson = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Reads and validates the manifest in <paramref name="file"/>; <paramref name="detectedMark"/> is the
    /// watermark's mark ID when the watermark layer found one, to say whether the soft binding matches it.
    /// A store over <paramref name="limits"/> is an invalid manifest whose problem names the bound.</summary>
    public static LayerFinding From(byte[] file, string name, MarkId? detectedMark, MetadataLimits? limits = null, TrustAnchors? anchors = null) =>
        From(C2paReader.Read(file, name, limits, anchors), detectedMark);

    public static LayerFinding From(C2paReport report, MarkId? detectedMark)
    {
        if (!report.Present) return new LayerFinding(LayerState.NotFound, "no C2PA manifest");
        var details = new Dictionary<string, string>
        {
            ["valid"] = report.Valid ? "true" : "false",
            ["signatureValid"] = report.SignatureValid ? "true" : "false",
            ["credentialValid"] = report.CredentialValid ? "true" : "false",
            ["signerTrust"] = report.SignerTrust,
            ["hardBinding"] = report.HardBinding ?? "",
            ["hardBindingValid"] = report.HardBindingValid ? "true" : "false",
            ["manifests"] = report.Manifests.ToString(CultureInfo.InvariantCulture),
            ["ingredients"] = report.Ingredients.ToString(CultureInfo.InvariantCulture),
            ["timestampTokens"] = report.TimestampTokens.ToString(CultureInfo.InvariantCulture),
        };
        void Add(string key, string? value) { if (value is not null) details[key] = value; }
        Add("signer", report.Signer);
        Add("issuer", report.Issuer);
        Add("claimGenerator", report.ClaimGenerator);
        Add("activeManifest", report.ActiveManifest);
        Add("digitalSourceType", report.DigitalSourceType);
        Add("softBindingAlgorithm", report.SoftBindingAlgorithm);
        Add("softBindingMarkId", report.SoftBindingMarkId);
        Add("timestamp", report.Timestamp?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        Add("timestampStatus", report.TimestampStatus);
        Add("timestampAuthority", report.TimestampAuthority);
        if (report.Actions.Count > 0) details["actions"] = string.Join(",", report.Actions);
        if (report.Problems.Count > 0) details["problems"] = string.Join("; ", report.Problems);
        if (report.IngredientTree.Count > 0) details["ingredientTree"] = System.Text.Json.JsonSerializer.Serialize(report.IngredientTree, TreeJson);
        details["aiGenerated"] = report.DeclaresAiGenerated ? "true" : "false";
        bool? match = report.MatchesMark(detectedMark);
        if (match is not null) details["softBindingMatchesWatermark"] = match.Value ? "true" : "false";

        string source = report.DeclaresAiGenerated ? "AI-generated"
            : report.DigitalSourceType is null ? "no source type (not an AI label)"
            : $"source {report.DigitalSourceType} (not an AI label)";
        string mark = report.SoftBindingMarkId is null ? "" : $", mark {report.SoftBindingMarkId}" + (match switch { true => " (matches watermark)", false => " (DIFFERS from watermark)", _ => "" });
        string trust = report.SignerTrust == SignerTrust.NotChecked ? "" : $" ({report.SignerTrust})";
        string time = report.Timestamp is { } t && report.TimestampStatus is { } ts
            ? $", time-stamped {t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)} ({ts["timeStamp.".Length..]})" : "";
        string summary = $"{(report.Valid ? "valid" : "INVALID")}, {source}, signed by {report.Signer ?? "?"}{trust}, generator {report.ClaimGenerator ?? "?"}{mark}{time}"
                         + (report.Valid || report.Problems.Count == 0 ? "" : $": {report.Problems[0]}");
        return new LayerFinding(report.Valid ? LayerState.Found : LayerState.Invalid, summary, details) { AiGenerated = report.DeclaresAiGenerated };
    }
}
