using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LabelStamp.Provenance.Validation;

/// <summary>
/// Step 3 (C2PA §14.5, §15.7): the signature's time-stamp, the signing certificate's profile and validity, and its
/// trust against the configured anchors. The certificate is judged at the time-stamp's time when one validates
/// (C2PA 2.x §14.5.2: a certificate that expired after a trusted time-stamp still vouches for what it signed), else at now.
/// </summary>
internal static class CredentialValidator
{
    public static SignatureVerdict Validate(ClaimSignatureCheck sig, TrustAnchors? anchors, List<string> problems)
    {
        X509Certificate2? leaf = sig.Chain.Count > 0 ? sig.Chain[0] : null;
        TimestampCheck? timestamp = sig.TimestampToken is { } token ? TimestampVerifier.Verify(token, sig.TimestampedBytes!, anchors) : null;
        DateTime judgedAt = timestamp is { Usable: true, Time: { } t } ? t.UtcDateTime : DateTime.UtcNow;
        bool credentialValid = leaf is not null && CheckProfile(leaf, judgedAt, problems);
        string trust = SignerTrust.NotChecked;
        if (anchors is not null && leaf is not null)
        {
            if (anchors.Chains(leaf, sig.Chain.Skip(1), judgedAt, out string? reason)) trust = SignerTrust.Trusted;
            else
            {
                trust = SignerTrust.Untrusted;
                problems.Add("signingCredential.untrusted: the signer's " + reason);
            }
        }
        return new SignatureVerdict(sig, leaf, timestamp, credentialValid, trust);
    }

    /// <summary>C2PA §14.5.1 signer profile checks and validity at <paramref name="at"/>; false (with the problems
    /// named) when the certificate may not vouch for the claim.</summary>
    private static bool CheckProfile(X509Certificate2 leaf, DateTime at, List<string> problems)
    {
        int before = problems.Count;
        // The certificate's outer structure was parsed with the signature; names, validity and extensions
        // are decoded only here, on first use, and a damaged one fails then (found by fuzzing the c2pa target).
        try
        {
            if (leaf.Subject == leaf.Issuer) problems.Add("signingCredential.invalid: self-signed signing certificate");
            CheckExtensions(leaf, problems);
            if (leaf.NotBefore.ToUniversalTime() > at || leaf.NotAfter.ToUniversalTime() < at)
                problems.Add($"signingCredential.expired: the signing certificate is valid {leaf.NotBefore.ToUniversalTime():u} to {leaf.NotAfter.ToUniversalTime():u}, not at {at:u}");
        }
        catch (CryptographicException e)
        {
            problems.Add($"signingCredential.invalid: the signing certificate cannot be decoded ({e.Message})");
        }
        return problems.Count == before;
    }

    private static void CheckExtensions(X509Certificate2 leaf, List<string> problems)
    {
        var ku = leaf.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (ku is null || !ku.Critical || (ku.KeyUsages & X509KeyUsageFlags.DigitalSignature) == 0)
            problems.Add("signingCredential.invalid: KeyUsage must be critical with digitalSignature");
        var eku = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (eku is null || !eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value is CertificateFactory.EmailProtectionEku or CertificateFactory.C2paSigningEku or "1.3.6.1.5.5.7.3.36"))
            problems.Add("signingCredential.invalid: no C2PA signing EKU");
    }
}
