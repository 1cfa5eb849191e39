using System.Security.Cryptography.X509Certificates;

namespace LabelStamp.Provenance.Validation;

/// <summary>The claim signature (<see cref="SignatureValidator"/>) and what its credential is worth
/// (<see cref="CredentialValidator"/>): leaf certificate, time-stamp, profile and trust.</summary>
internal sealed record SignatureVerdict(ClaimSignatureCheck Signature, X509Certificate2? Leaf, TimestampCheck? Timestamp, bool CredentialValid, string Trust);
