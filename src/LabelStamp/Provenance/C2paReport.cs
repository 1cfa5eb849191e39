using System.Text.Json;
using System.Text.Json.Serialization;
using LabelStamp.Labels;

namespace LabelStamp.Provenance;

/// <summary>
/// What <c>verify</c> says about a file's C2PA manifest (spec §9): present, who signed, whether the
/// signature, the assertion hashes and the hard binding hold, what it claims (generator, actions,
/// digitalSourceType) and the soft-binding mark ID. <see cref="Problems"/> uses C2PA validation status
/// codes (C2PA §15.2, e.g. "assertion.dataHash.mismatch") with a short explanation.
/// </summary>
public sealed record C2paReport
{
    public bool Present { get; init; }
    public string? ActiveManifest { get; init; }
    public string? ClaimLabel { get; init; }
    public string? ClaimGenerator { get; init; }
    public string? Title { get; init; }
    public IReadOnlyList<string> Actions { get; init; } = [];
    public string? DigitalSourceType { get; init; }
    /// <summary>The active manifest states no source type of its own (e.g. a platform's c2pa.opened/c2pa.published)
    /// and <see cref="DigitalSourceType"/> comes from its <c>parentOf</c> ingredient's manifest, hash-checked.</summary>
    public bool DigitalSourceTypeInherited { get; init; }
    /// <summary>Subject of the signing certificate (x5chain leaf).</summary>
    public string? Signer { get; init; }
    public string? Issuer { get; init; }
    public bool SignatureValid { get; init; }
    /// <summary>The signing certificate has the C2PA profile (§14.5.1) and was valid when it signed: at the
    /// time-stamp's time when one validates, else now.</summary>
    public bool CredentialValid { get; init; }
    /// <summary>trusted / untrusted against the configured trust anchors; not-checked without anchors (<see cref="Provenance.SignerTrust"/>).</summary>
    public string SignerTrust { get; init; } = Provenance.SignerTrust.NotChecked;
    /// <summary>RFC 3161 timestamp tokens on the claim signature.</summary>
    public int TimestampTokens { get; init; }
    /// <summary>The time the first token states (its TSTInfo genTime), whatever its status.</summary>
    public DateTimeOffset? Timestamp { get; init; }
    /// <summary>The first token's C2PA status code (<see cref="TimestampCheck"/>); null without a token.</summary>
    public string? TimestampStatus { get; init; }
    /// <summary>Subject of the TSA certificate that signed the token.</summary>
    public string? TimestampAuthority { get; init; }
    public bool AssertionsIntact { get; init; }
    /// <summary>Label of the hard binding (c2pa.hash.data, c2pa.hash.bmff.v3, …).</summary>
    public string? HardBinding { get; init; }
    public bool HardBindingValid { get; init; }
    /// <summary>An update manifest: <see cref="HardBinding"/> is its parent's (C2PA 2.x §10.3.1).</summary>
    public bool HardBindingInherited { get; init; }
    public string? SoftBindingAlgorithm { get; init; }
    /// <summary>Our watermark's mark ID when the soft binding names our algorithm.</summary>
    public string? SoftBindingMarkId { get; init; }
    public int Ingredients { get; init; }
    public int Manifests { get; init; }
    /// <summary>The active manifest's ingredients with the manifests they carry, for display.</summary>
    public IReadOnlyList<IngredientNode> IngredientTree { get; init; } = [];
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>Signature, signing certificate, assertion hashes and hard binding all hold (C2PA's "valid" state;
    /// trust in the signer is <see cref="SignerTrust"/>, judged apart as C2PA's "trusted" state is).</summary>
    public bool Valid => Present && SignatureValid && CredentialValid && AssertionsIntact && HardBindingValid;

    /// <summary>The manifest says the content was made by an algorithm (spec §6): its digitalSourceType is
    /// one of the AI terms (<see cref="AiSourceTypes"/>). A camera capture (digitalCapture), an edit of one, or a
    /// manifest stating no source type is provenance, not an AI label.</summary>
    public bool DeclaresAiGenerated => IsAiSourceType(DigitalSourceType);

    /// <summary>The IPTC digital source type terms (and C2PA's own trainedAlgorithmicData) that mean generated
    /// by an algorithm: trained (generative AI), composited with such output, or purely algorithmic.</summary>
    public static IReadOnlyList<string> AiSourceTypes { get; } =
        ["trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia", "algorithmicMedia", "compositeSynthetic", "trainedAlgorithmicData"];

    /// <summary>True for an AI term under the IPTC vocabulary (http or https) or C2PA's (http://c2pa.org/digitalsourcetype/).</summary>
    public static bool IsAiSourceType(string? uri)
    {
        if (uri is null) return false;
        int slash = uri.LastIndexOf('/');
        if (slash < 0) return false;
        string vocabulary = uri[..(slash + 1)], term = uri[(slash + 1)..];
        bool known = vocabulary is "http://cv.iptc.org/newscodes/digitalsourcetype/" or "https://cv.iptc.org/newscodes/digitalsourcetype/"
            or "http://c2pa.org/digitalsourcetype/" or "https://c2pa.org/digitalsourcetype/";
        return known && AiSourceTypes.Contains(term);
    }

    public static C2paReport Absent { get; } = new();

    /// <summary>True/false when both a soft-binding mark ID and a detected watermark are known, else null.</summary>
    public bool? MatchesMark(MarkId? detected) =>
        detected is { } d && SoftBindingMarkId is not null ? string.Equals(SoftBindingMarkId, d.ToString(), StringComparison.OrdinalIgnoreCase) : null;

    /// <summary>One line for the verify table.</summary>
    public string Summary()
    {
        if (!Present) return "none";
        string state = Valid ? "valid" : "INVALID";
        string what = string.Join(",", Actions);
        return $"{state}; signer {Signer} ({SignerTrust}); generator {ClaimGenerator}; actions {what}; source {DigitalSourceType ?? "-"}{(DigitalSourceTypeInherited ? " (from parent)" : "")}; binding {HardBinding ?? "-"}{(HardBindingInherited ? " (parent's)" : "")} {(HardBindingValid ? "ok" : "broken")}"
               + (SoftBindingMarkId is null ? "" : $"; mark {SoftBindingMarkId}")
               + (TimestampStatus is null ? "" : $"; time-stamp {Timestamp:u} {TimestampStatus}")
               + (Problems.Count == 0 ? "" : $"; {string.Join("; ", Problems)}");
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };
}
