using System.Security.Cryptography.X509Certificates;

namespace LabelStamp.Provenance;

/// <summary>Result of checking a claim signature: validity, the x5chain it carried (leaf first) and why it failed.</summary>
public sealed record ClaimSignatureCheck(bool Valid, IReadOnlyList<X509Certificate2> Chain, string? Error)
{
    /// <summary>RFC 3161 tokens carried in sigTst/sigTst2 (present, not validated against a TSA trust list).</summary>
    public int TimestampTokens { get; init; }
}
