using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using LabelStamp.Provenance;

namespace LabelStamp.TestSupport;

/// <summary>
/// A time-stamping authority for tests (RFC 3161 §2.4): answers a TimeStampReq with a granted TimeStampResp whose
/// token is a CMS SignedData over a TSTInfo (the request's imprint and nonce, the time <see cref="Clock"/> gives),
/// signed by a TSA certificate from <see cref="CertificateFactory.CreateTimestampAuthority"/> with the ESS
/// signing-certificate-v2 attribute (RFC 5816) that verifiers require, and the TSA certificate plus its CA inside.
/// </summary>
internal sealed class TestTimestampAuthority(X509Certificate2 tsaCertificate, X509Certificate2 authority) : ITimestampAuthority
{
    private const string TstInfoOid = "1.2.840.113549.1.9.16.1.4";
    private const string SigningCertificateV2Oid = "1.2.840.113549.1.9.16.2.47";
    private const string TestPolicyOid = "1.3.6.1.4.1.62558.99.1";
    private long _serial;

    public string Name => "test TSA";

    /// <summary>The time the TSA states; now by default, settable to back-date tokens for expiry tests.</summary>
    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.UtcNow;

    public int Requests => (int)Interlocked.Read(ref _serial);

    public byte[] Timestamp(byte[] timeStampRequest)
    {
        if (!Rfc3161TimestampRequest.TryDecode(timeStampRequest, out var request, out _))
            throw new CryptographicException("not a TimeStampReq");
        long serial = Interlocked.Increment(ref _serial);
        var info = new AsnWriter(AsnEncodingRules.DER);
        using (info.PushSequence())
        {
            info.WriteInteger(1);
            info.WriteObjectIdentifier(TestPolicyOid);
            using (info.PushSequence())
            {
                using (info.PushSequence()) info.WriteObjectIdentifier(request.HashAlgorithmId.Value!);
                info.WriteOctetString(request.GetMessageHash().Span);
            }
            info.WriteInteger(serial);
            // RFC 3161 §2.4.2: GeneralizedTime in UTC; whole seconds suffice for a test TSA.
            var time = Clock().ToUniversalTime();
            info.WriteGeneralizedTime(new DateTimeOffset(time.Year, time.Month, time.Day, time.Hour, time.Minute, time.Second, TimeSpan.Zero), omitFractionalSeconds: true);
            if (request.GetNonce() is { } nonce) info.WriteIntegerUnsigned(nonce.Span);
        }
        var cms = new SignedCms(new ContentInfo(new Oid(TstInfoOid), info.Encode()), detached: false);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, tsaCertificate)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"),
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        signer.Certificates.Add(authority);
        signer.SignedAttributes.Add(new AsnEncodedData(SigningCertificateV2Oid, SigningCertificateV2(tsaCertificate)));
        cms.ComputeSignature(signer, silent: true);
        var response = new AsnWriter(AsnEncodingRules.DER);
        using (response.PushSequence())
        {
            using (response.PushSequence()) response.WriteInteger(0); // granted
            response.WriteEncodedValue(cms.Encode());
        }
        return response.Encode();
    }

    /// <summary>SigningCertificateV2 { certs [ ESSCertIDv2 { certHash = SHA-256(cert) } ] } (hash algorithm sha256 by default, omitted in DER).</summary>
    private static byte[] SigningCertificateV2(X509Certificate2 cert)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        using (w.PushSequence())
        using (w.PushSequence())
            w.WriteOctetString(SHA256.HashData(cert.RawData));
        return w.Encode();
    }
}
