using System.Formats.Asn1;
using System.Formats.Cbor;
using System.Security.Cryptography;

namespace LabelStamp.Provenance;

/// <summary>
/// RFC 3161 TimeStampReq for a C2PA claim signature (C2PA §14.6, sigTst2): the imprint is SHA-256 of the
/// COSE countersignature structure ["CounterSignature", protected header, h'', CBOR(signature bstr)].
/// Only the request is built here; sending it to the configured TSA URL (HTTP POST,
/// application/timestamp-query) and storing the reply token is the caller's network step.
/// </summary>
public static class TimestampRequest
{
    private const string Sha256Oid = "2.16.840.1.101.3.4.2.1";

    /// <summary>DER TimeStampReq { version 1, messageImprint { sha256, hash }, nonce, certReq TRUE }.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> message, ReadOnlySpan<byte> nonce)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteInteger(1);
            using (w.PushSequence())
            {
                using (w.PushSequence())
                {
                    w.WriteObjectIdentifier(Sha256Oid);
                    w.WriteNull();
                }
                w.WriteOctetString(SHA256.HashData(message));
            }
            // DER integers are minimal: a random nonce may start with zero bytes, which AsnWriter rejects.
            int skip = 0;
            while (skip < nonce.Length - 1 && nonce[skip] == 0) skip++;
            w.WriteIntegerUnsigned(nonce[skip..]);
            w.WriteBoolean(true);
        }
        return w.Encode();
    }

    /// <summary>The bytes the TSA's imprint covers for a v2 timestamp of <paramref name="signature"/>.</summary>
    public static byte[] CounterSignatureStructure(ReadOnlySpan<byte> protectedHeader, ReadOnlySpan<byte> signature)
    {
        var inner = new CborWriter(CborConformanceMode.Canonical);
        inner.WriteByteString(signature);
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartArray(4);
        w.WriteTextString("CounterSignature");
        w.WriteByteString(protectedHeader);
        w.WriteByteString([]);
        w.WriteByteString(inner.Encode());
        w.WriteEndArray();
        return w.Encode();
    }
}
