using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace LabelStamp.Provenance;

/// <summary>
/// Validates the RFC 3161 token of a claim signature (C2PA 2.x §10.3.2.5, §15.7): the CMS signature of the
/// token (with its ESS signing-certificate binding, RFC 5816), the imprint against the countersignature
/// structure (<see cref="TimestampRequest"/>), the TSA certificate's timeStamping EKU (RFC 3161 §2.3) and
/// validity at the stated time, and, given anchors, its chain. A token that fails is reported, never thrown:
/// a broken time-stamp leaves the rest of the manifest to be judged without it.
/// </summary>
public static class TimestampVerifier
{
    private const string TimeStampingEku = "1.3.6.1.5.5.7.3.8";

    /// <param name="token">A TimeStampToken (sigTst2) or a TimeStampResp holding one (sigTst).</param>
    /// <param name="covered">The bytes the imprint must be the hash of.</param>
    public static TimestampCheck Verify(byte[] token, byte[] covered, TrustAnchors? anchors)
    {
        Rfc3161TimestampToken? parsed;
        try
        {
            var contentInfo = Unwrap(token);
            if (!Rfc3161TimestampToken.TryDecode(contentInfo, out parsed, out int consumed) || consumed != contentInfo.Length)
                return new TimestampCheck(TimestampCheck.Malformed, null, null, "not an RFC 3161 TimeStampToken");
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return new TimestampCheck(TimestampCheck.Malformed, null, null, $"not an RFC 3161 TimeStampToken ({e.Message})");
        }
        var info = parsed.TokenInfo;
        var time = info.Timestamp;
        var certificates = parsed.AsSignedCms().Certificates;
        X509Certificate2? tsa;
        try
        {
            if (!ImprintMatches(info, covered))
                return new TimestampCheck(TimestampCheck.Mismatch, time, null, "the imprint is not the hash of the claim signature");
            if (!parsed.VerifySignatureForData(covered, out tsa, certificates) || tsa is null)
                return new TimestampCheck(TimestampCheck.Mismatch, time, null, "the token's signature does not verify with its TSA certificate");
        }
        catch (CryptographicException e)
        {
            return new TimestampCheck(TimestampCheck.Malformed, time, null, $"the token cannot be checked ({e.Message})");
        }
        string authority = tsa.Subject;
        var eku = tsa.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (eku is null || !eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == TimeStampingEku))
            return new TimestampCheck(TimestampCheck.Untrusted, time, authority, "the TSA certificate lacks the timeStamping EKU");
        var at = time.UtcDateTime;
        if (at < tsa.NotBefore.ToUniversalTime() || at > tsa.NotAfter.ToUniversalTime())
            return new TimestampCheck(TimestampCheck.OutsideValidity, time, authority, "the TSA certificate was not valid at the time it states");
        if (anchors is null) return new TimestampCheck(TimestampCheck.Validated, time, authority, null);
        var others = certificates.Where(c => !c.RawData.AsSpan().SequenceEqual(tsa.RawData)).ToList();
        return anchors.Chains(tsa, others, at, out string? reason)
            ? new TimestampCheck(TimestampCheck.Trusted, time, authority, null)
            : new TimestampCheck(TimestampCheck.Untrusted, time, authority, "TSA " + reason);
    }

    /// <summary>sigTst (v1) holds the TSA's whole TimeStampResp, sigTst2 the token alone (a ContentInfo).</summary>
    private static byte[] Unwrap(byte[] token)
    {
        var outer = new AsnReader(token, AsnEncodingRules.BER).ReadSequence();
        if (outer.PeekTag() == Asn1Tag.ObjectIdentifier) return token;
        outer.ReadSequence(); // PKIStatusInfo
        return outer.ReadEncodedValue().ToArray();
    }

    private static bool ImprintMatches(Rfc3161TimestampTokenInfo info, byte[] covered)
    {
        byte[]? actual = info.HashAlgorithmId.Value switch
        {
            "2.16.840.1.101.3.4.2.1" => SHA256.HashData(covered),
            "2.16.840.1.101.3.4.2.2" => SHA384.HashData(covered),
            "2.16.840.1.101.3.4.2.3" => SHA512.HashData(covered),
            _ => null,
        };
        return actual is not null && info.GetMessageHash().Span.SequenceEqual(actual);
    }
}
