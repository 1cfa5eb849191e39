using System.Security.Cryptography.X509Certificates;

namespace LabelStamp.Provenance;

/// <summary>Result of checking a claim signature: validity, the x5chain it carried (leaf first) and why it failed.</summary>
public sealed record ClaimSignatureCheck(bool Valid, IReadOnlyList<X509Certificate2> Chain, string? Error)
{
    /// <summary>RFC 3161 tokens carried in sigTst/sigTst2.</summary>
    public int TimestampTokens { get; init; }

    /// <summary>The first time-stamp token (sigTst2 preferred, as C2PA 2.x validators do) and what its imprint must cover
    /// (<see cref="TimestampRequest"/>); null when the signature carries none.</summary>
    public byte[]? TimestampToken { get; init; }

    /// <summary>The countersignature structure the token's imprint must match.</summary>
    public byte[]? TimestampedBytes { get; init; }

    /// <summary>"sigTst2" or "sigTst": which header the token came from.</summary>
    public string? TimestampHeader { get; init; }
}
