using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.Cose;
using System.Security.Cryptography.X509Certificates;
using LabelStamp.Errors;

namespace LabelStamp.Provenance;

/// <summary>
/// The claim signature (C2PA §14): a COSE_Sign1 (RFC 9052) with ES256 over the claim's CBOR bytes as
/// detached payload, the certificate chain in the protected header under x5chain (label 33, RFC 9360).
/// Size is fixed for given credentials (64-byte P1363 signature), which lets the writer reserve the
/// store's space before signing.
/// </summary>
public static class ClaimSigner
{
    public static readonly CoseHeaderLabel X5Chain = new(33);

    public static byte[] Sign(byte[] claim, SigningCredentials credentials)
    {
        var protectedHeaders = new CoseHeaderMap { [X5Chain] = CoseHeaderValue.FromEncodedValue(EncodeChain(credentials)) };
        var signer = new CoseSigner(credentials.Key, HashAlgorithmName.SHA256, protectedHeaders, new CoseHeaderMap());
        try
        {
            return CoseSign1Message.SignDetached(claim, signer, ReadOnlySpan<byte>.Empty);
        }
        catch (CryptographicException e)
        {
            throw new LabelStampException(ErrorCode.SigningFailed, $"C2PA claim signing failed with {credentials}: {e.Message}", e);
        }
    }

    /// <summary>Checks a COSE_Sign1 against the claim bytes with the leaf certificate it carries.</summary>
    public static ClaimSignatureCheck Verify(byte[] coseSign1, byte[] claim)
    {
        CoseSign1Message message;
        try { message = CoseMessage.DecodeSign1(coseSign1); }
        catch (CryptographicException e) { return new ClaimSignatureCheck(false, [], $"signature is not a COSE_Sign1 ({e.Message})"); }
        CoseHeaderValue chainValue;
        if (!message.ProtectedHeaders.TryGetValue(X5Chain, out chainValue) && !message.UnprotectedHeaders.TryGetValue(X5Chain, out chainValue))
            return new ClaimSignatureCheck(false, [], "signature carries no x5chain certificate");
        List<X509Certificate2> chain;
        try { chain = DecodeChain(chainValue.EncodedValue); }
        catch (Exception e) when (e is CryptographicException or CborContentException or InvalidOperationException)
        {
            return new ClaimSignatureCheck(false, [], $"x5chain is malformed ({e.Message})");
        }
        if (chain.Count == 0) return new ClaimSignatureCheck(false, [], "x5chain is empty");
        using var ec = chain[0].GetECDsaPublicKey();
        try
        {
            bool ok = ec is not null ? message.VerifyDetached(ec, claim)
                : chain[0].GetRSAPublicKey() is { } rsa ? message.VerifyDetached(rsa, claim)
                : false;
            return new ClaimSignatureCheck(ok, chain, ok ? null : "claim signature does not match the claim");
        }
        catch (CryptographicException e)
        {
            return new ClaimSignatureCheck(false, chain, $"claim signature cannot be checked ({e.Message})");
        }
    }

    private static byte[] EncodeChain(SigningCredentials credentials)
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        if (credentials.Chain.Count == 0) w.WriteByteString(credentials.Leaf.RawData);
        else
        {
            w.WriteStartArray(1 + credentials.Chain.Count);
            w.WriteByteString(credentials.Leaf.RawData);
            foreach (var c in credentials.Chain) w.WriteByteString(c.RawData);
            w.WriteEndArray();
        }
        return w.Encode();
    }

    private static List<X509Certificate2> DecodeChain(ReadOnlyMemory<byte> encoded)
    {
        var r = new CborReader(encoded, CborConformanceMode.Lax);
        var list = new List<X509Certificate2>();
        if (r.PeekState() == CborReaderState.ByteString) list.Add(X509CertificateLoader.LoadCertificate(r.ReadByteString()));
        else
        {
            r.ReadStartArray();
            while (r.PeekState() != CborReaderState.EndArray) list.Add(X509CertificateLoader.LoadCertificate(r.ReadByteString()));
            r.ReadEndArray();
        }
        return list;
    }
}
