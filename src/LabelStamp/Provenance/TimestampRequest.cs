using System.Formats.Asn1;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using LabelStamp.Errors;

namespace LabelStamp.Provenance;

/// <summary>
/// What an RFC 3161 time-stamp of a C2PA claim signature covers (C2PA 2.x §10.3.2.5, "time-stamps"), and the
/// request/reply step around a TSA. The imprint is a hash of the COSE countersignature structure (RFC 9052
/// §4.4 with context "CounterSignature"): ["CounterSignature", protected header as sent, h'', payload],
/// where the payload is, for a v2 time-stamp (<c>sigTst2</c>), the CBOR byte string holding the signature
/// (so the token proves the signature existed at that time), and for a v1 time-stamp (<c>sigTst</c>,
/// deprecated) the claim bytes. v2 stores the TimeStampToken (a CMS ContentInfo); v1 stored the whole
/// TimeStampResp.
/// </summary>
public static class TimestampRequest
{
    /// <summary>The bytes a v2 time-stamp of <paramref name="signature"/> is taken over.</summary>
    public static byte[] CounterSignatureStructure(ReadOnlySpan<byte> protectedHeader, ReadOnlySpan<byte> signature)
    {
        var inner = new CborWriter(CborConformanceMode.Canonical);
        inner.WriteByteString(signature);
        return Structure(protectedHeader, inner.Encode());
    }

    /// <summary>The bytes a v1 time-stamp is taken over: the claim itself as payload.</summary>
    public static byte[] CounterSignatureStructureV1(ReadOnlySpan<byte> protectedHeader, ReadOnlySpan<byte> claim) => Structure(protectedHeader, claim);

    private static byte[] Structure(ReadOnlySpan<byte> protectedHeader, ReadOnlySpan<byte> payload)
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartArray(4);
        w.WriteTextString("CounterSignature");
        w.WriteByteString(protectedHeader);
        w.WriteByteString([]);
        w.WriteByteString(payload);
        w.WriteEndArray();
        return w.Encode();
    }

    /// <summary>A SHA-256 TimeStampReq over <paramref name="data"/> with a random nonce, asking for the TSA's certificates
    /// (verifiers need them: the token must carry the chain to check it offline).</summary>
    public static Rfc3161TimestampRequest Create(ReadOnlySpan<byte> data)
    {
        // The nonce is a positive DER INTEGER: no leading zero byte, high bit clear.
        byte[] nonce = RandomNumberGenerator.GetBytes(8);
        nonce[0] = (byte)((nonce[0] & 0x7F) | 0x01);
        return Rfc3161TimestampRequest.CreateFromData(data, HashAlgorithmName.SHA256, requestedPolicyId: null, nonce: nonce, requestSignerCertificates: true);
    }

    /// <summary>
    /// Checks the TSA's TimeStampResp against <paramref name="request"/> (granted status, same imprint and nonce, a
    /// token whose CMS signature holds) and returns the TimeStampToken exactly as the TSA encoded it, for sigTst2.
    /// </summary>
    public static byte[] TokenFromResponse(Rfc3161TimestampRequest request, byte[] response, string tsa)
    {
        try
        {
            var token = request.ProcessResponse(response, out int consumed);
            if (consumed != response.Length) throw new CryptographicException($"{response.Length - consumed} bytes follow the TimeStampResp");
            if (!token.VerifySignatureForHash(request.GetMessageHash().Span, request.HashAlgorithmId, out _, token.AsSignedCms().Certificates))
                throw new CryptographicException("the token's signature does not verify");
            var outer = new AsnReader(response, AsnEncodingRules.DER).ReadSequence();
            outer.ReadSequence(); // PKIStatusInfo, already judged by ProcessResponse
            return outer.ReadEncodedValue().ToArray();
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException)
        {
            throw new LabelStampException(ErrorCode.SigningFailed, $"TSA {tsa} answered with no usable time-stamp ({e.Message}); the manifest was not signed", e);
        }
    }
}
