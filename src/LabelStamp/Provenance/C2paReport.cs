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
    /// <summary>RFC 3161 timestamp tokens on the claim signature (counted, not validated).</summary>
    public int TimestampTokens { get; init; }
    public bool AssertionsIntact { get; init; }
    /// <summary>Label of the hard binding (c2pa.hash.data, c2pa.hash.bmff.v3, …).</summary>
    public string? HardBinding { get; init; }
    public bool HardBindingValid { get; init; }
    public string? SoftBindingAlgorithm { get; init; }
    /// <summary>Our watermark's mark ID when the soft binding names our algorithm.</summary>
    public string? SoftBindingMarkId { get; init; }
    public int Ingredients { get; init; }
    public int Manifests { get; init; }
    /// <summary>The active manifest's ingredients with the manifests they carry, for display.</summary>
    public IReadOnlyList<IngredientNode> IngredientTree { get; init; } = [];
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>Signature, assertion hashes and hard binding all hold (certificate trust is not judged here).</summary>
    public bool Valid => Present && SignatureValid && AssertionsIntact && HardBindingValid;

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
        return $"{state}; signer {Signer}; generator {ClaimGenerator}; actions {what}; source {DigitalSourceType ?? "-"}{(DigitalSourceTypeInherited ? " (from parent)" : "")}; binding {HardBinding ?? "-"} {(HardBindingValid ? "ok" : "broken")}"
               + (SoftBindingMarkId is null ? "" : $"; mark {SoftBindingMarkId}")
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
