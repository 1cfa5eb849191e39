using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.Cose;
using System.Security.Cryptography.X509Certificates;
using LabelStamp.Errors;
using LabelStamp.Pipeline;

namespace LabelStamp.Provenance;

/// <summary>
/// The claim signature (C2PA §14): a COSE_Sign1 (RFC 9052) with ES256 over the claim's CBOR bytes as
/// detached payload, the certificate chain in the protected header under x5chain (label 33, RFC 9360).
/// Size is fixed for given credentials (64-byte P1363 signature), which lets the writer reserve the
/// store's space before signing. The nonce is RFC 6979's (<see cref="SigningCredentials.SigningKey"/>), so a
/// claim signs to the same bytes every time.
/// </summary>
public static class ClaimSigner
{
    public static readonly CoseHeaderLabel X5Chain = new(33);

    public static byte[] Sign(byte[] claim, SigningCredentials credentials)
    {
        var protectedHeaders = new CoseHeaderMap { [X5Chain] = CoseHeaderValue.FromEncodedValue(EncodeChain(credentials)) };
        var signer = new CoseSigner(credentials.SigningKey, HashAlgorithmName.SHA256, protectedHeaders, new CoseHeaderMap());
        try
        {
            return CoseSign1Message.SignDetached(claim, signer, ReadOnlySpan<byte>.Empty);
        }
        catch (CryptographicException e)
        {
            throw new LabelStampException(ErrorCode.SigningFailed, $"C2PA claim signing failed with {credentials}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Signs and, with a TSA, adds an RFC 3161 token over the signature in the unprotected header
    /// (C2PA 2.x §10.3.2.5 sigTst2: {"tstTokens": [{"val": TimeStampToken}]}, the v2 form a claim v2 calls for). The unprotected header is padded
    /// ("pad", zero bytes, C2PA §14.2) to exactly <paramref name="reserve"/> plus a fixed overhead, so a
    /// sizing pass (<paramref name="final"/> false: no TSA call) and the final pass give the same length.
    /// </summary>
    public static byte[] Sign(byte[] claim, SigningCredentials credentials, ITimestampAuthority? tsa, int reserve, bool final)
    {
        byte[] signed = Sign(claim, credentials);
        if (tsa is null) return signed;
        var message = CoseMessage.DecodeSign1(signed);
        var pad = new CoseHeaderLabel("pad");
        if (!final)
        {
            message.UnprotectedHeaders[pad] = CoseHeaderValue.FromBytes(new byte[reserve]);
            return message.Encode();
        }
        var request = TimestampRequest.Create(TimestampRequest.CounterSignatureStructure(message.RawProtectedHeaders.Span, message.Signature.Span));
        byte[] token = TimestampRequest.TokenFromResponse(request, tsa.Timestamp(request.Encode()), tsa.Name);
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartMap(1);
        w.WriteTextString("tstTokens");
        w.WriteStartArray(1);
        w.WriteStartMap(1);
        w.WriteTextString("val"); w.WriteByteString(token);
        w.WriteEndMap();
        w.WriteEndArray();
        w.WriteEndMap();
        byte[] tst = w.Encode();
        // Unprotected map sizes: sizing pass {pad: bstr(reserve)}; final {sigTst2: tst, pad: bstr(p)}.
        int target = 1 + TextSize("pad") + BstrHeader(reserve) + reserve;
        int room = target - 1 - TextSize("sigTst2") - tst.Length - TextSize("pad");
        int padLength = -1;
        foreach (int h in (ReadOnlySpan<int>)[1, 2, 3, 5])
            if (room - h >= 0 && BstrHeader(room - h) == h) { padLength = room - h; break; }
        if (padLength < 0)
            throw new LabelStampException(ErrorCode.SigningFailed, $"the TSA's token ({token.Length} bytes) does not fit the {reserve} bytes reserved; raise TimestampReserve");
        message.UnprotectedHeaders[new CoseHeaderLabel("sigTst2")] = CoseHeaderValue.FromEncodedValue(tst);
        message.UnprotectedHeaders[pad] = CoseHeaderValue.FromBytes(new byte[padLength]);
        return message.Encode();
    }

    private static int TextSize(string ascii) => BstrHeader(ascii.Length) + ascii.Length;

    private static int BstrHeader(int length) => length < 24 ? 1 : length < 256 ? 2 : length < 65536 ? 3 : 5;

    /// <summary>
    /// Checks a COSE_Sign1 against the claim bytes with the leaf certificate it carries. The Sig_structure
    /// (RFC 9052 §4.4) is built from the protected header exactly as transmitted: other generators encode
    /// CBOR non-canonically (e.g. c2pa-ts writes 16-bit map lengths), and re-encoding would break the check.
    /// Headers are decoded within <paramref name="limits"/>; a header over them, or malformed, makes the
    /// signature invalid with the reason.
    /// </summary>
    public static ClaimSignatureCheck Verify(byte[] coseSign1, byte[] claim, MetadataLimits? limits = null)
    {
        byte[] protectedBytes, signature;
        Dictionary<string, object?>? protectedMap, unprotectedMap;
        try
        {
            var r = new CborReader(coseSign1, CborConformanceMode.Lax);
            if (r.PeekState() == CborReaderState.Tag) r.ReadTag();
            if (r.ReadStartArray() != 4) return new ClaimSignatureCheck(false, [], "signature is not a 4-element COSE_Sign1");
            protectedBytes = r.ReadByteString();
            var unprotectedStart = coseSign1.Length - r.BytesRemaining;
            r.SkipValue();
            unprotectedMap = CborTree.Map(CborTree.Decode(coseSign1.AsMemory(unprotectedStart, coseSign1.Length - r.BytesRemaining - unprotectedStart), "signature", limits));
            if (r.PeekState() == CborReaderState.Null) r.ReadNull(); else r.SkipValue();
            signature = r.ReadByteString();
            protectedMap = protectedBytes.Length == 0 ? [] : CborTree.Map(CborTree.Decode(protectedBytes, "signature", limits));
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or LabelStampException)
        {
            return new ClaimSignatureCheck(false, [], $"signature is not a COSE_Sign1 ({e.Message})");
        }
        object? chainValue = protectedMap?.GetValueOrDefault("33") ?? protectedMap?.GetValueOrDefault("x5chain")
                             ?? unprotectedMap?.GetValueOrDefault("33") ?? unprotectedMap?.GetValueOrDefault("x5chain");
        var chain = new List<X509Certificate2>();
        try
        {
            if (chainValue is byte[] single) chain.Add(X509CertificateLoader.LoadCertificate(single));
            else if (chainValue is List<object?> list) chain.AddRange(list.OfType<byte[]>().Select(X509CertificateLoader.LoadCertificate));
        }
        catch (CryptographicException e) { return new ClaimSignatureCheck(false, [], $"x5chain is malformed ({e.Message})"); }
        if (chain.Count == 0) return new ClaimSignatureCheck(false, [], "signature carries no x5chain certificate");
        long alg = CborTree.Integer(protectedMap, "1") ?? 0;
        byte[] toBeSigned = SigStructure(protectedBytes, claim);
        try
        {
            bool ok;
            switch (alg)
            {
                case -7 or -35 or -36:
                    using (var ec = chain[0].GetECDsaPublicKey())
                    {
                        var hash = alg == -7 ? HashAlgorithmName.SHA256 : alg == -35 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA512;
                        // COSE mandates r||s (RFC 9053 §2.1); c2pa-ts 0.9 writes DER, and verifiers in the
                        // field accept it, so a DER signature is checked as such rather than rejected.
                        bool p1363 = ec is not null && signature.Length == 2 * ((ec.KeySize + 7) / 8);
                        ok = ec is not null && ec.VerifyData(toBeSigned, signature, hash,
                            p1363 ? DSASignatureFormat.IeeeP1363FixedFieldConcatenation : DSASignatureFormat.Rfc3279DerSequence);
                    }
                    break;
                case -37 or -38 or -39:
                    using (var rsa = RsaPublicKey(chain[0]))
                        ok = rsa is not null && rsa.VerifyData(toBeSigned, signature, alg == -37 ? HashAlgorithmName.SHA256 : alg == -38 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA512, RSASignaturePadding.Pss);
                    break;
                case -8 or -19:
                    // EdDSA (-8) / Ed25519 (-19, RFC 9864): the one EdDSA curve C2PA allows (§13.2). The certificate's key is
                    // the raw 32-byte point (RFC 8410); .NET has no EdDSA, so BouncyCastle's RFC 8032 verifier checks it.
                    ok = chain[0].PublicKey.Oid.Value == Ed25519Oid && chain[0].PublicKey.EncodedKeyValue.RawData is { Length: 32 } point
                         && signature.Length == 64
                         && Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Verify(signature, 0, point, 0, toBeSigned, 0, toBeSigned.Length);
                    break;
                default:
                    return new ClaimSignatureCheck(false, chain, $"algorithm.unsupported: signature algorithm {alg} (C2PA allows ES256/384/512, PS256/384/512, Ed25519)");
            }
            int tokens = 0;
            byte[]? token = null, covered = null;
            string? header = null;
            // sigTst2 (v2, over the signature) before sigTst (v1, over the claim); the first token of the first header found.
            foreach (var key in (string[])["sigTst2", "sigTst"])
                foreach (var map in (Dictionary<string, object?>?[])[unprotectedMap, protectedMap])
                {
                    var list = CborTree.List(CborTree.Map(map?.GetValueOrDefault(key)), "tstTokens");
                    tokens += list.Count;
                    if (token is null && list.Count > 0 && CborTree.Bytes(CborTree.Map(list[0]), "val") is { } val)
                    {
                        (token, header) = (val, key);
                        covered = key == "sigTst2"
                            ? TimestampRequest.CounterSignatureStructure(protectedBytes, signature)
                            : TimestampRequest.CounterSignatureStructureV1(protectedBytes, claim);
                    }
                }
            return new ClaimSignatureCheck(ok, chain, ok ? null : "claim signature does not match the claim")
            {
                TimestampTokens = tokens, TimestampToken = token, TimestampedBytes = covered, TimestampHeader = header,
            };
        }
        catch (CryptographicException e)
        {
            return new ClaimSignatureCheck(false, chain, $"claim signature cannot be checked ({e.Message})");
        }
    }

    /// <summary>The RSA key of an rsaEncryption or an id-RSASSA-PSS certificate. .NET returns null from
    /// GetRSAPublicKey for the latter (its parameters restrict the key to PSS), yet C2PA allows both for
    /// PS256/384/512 (§13.2), and the key itself is the same RSAPublicKey structure.</summary>
    private static RSA? RsaPublicKey(X509Certificate2 cert)
    {
        var rsa = cert.GetRSAPublicKey();
        if (rsa is not null || cert.PublicKey.Oid.Value != RsassaPssOid) return rsa;
        rsa = RSA.Create();
        rsa.ImportRSAPublicKey(cert.PublicKey.EncodedKeyValue.RawData, out _);
        return rsa;
    }

    private const string RsassaPssOid = "1.2.840.113549.1.1.10";
    private const string Ed25519Oid = "1.3.101.112";

    private static byte[] SigStructure(byte[] protectedBytes, byte[] payload)
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        w.WriteStartArray(4);
        w.WriteTextString("Signature1");
        w.WriteByteString(protectedBytes);
        w.WriteByteString([]);
        w.WriteByteString(payload);
        w.WriteEndArray();
        return w.Encode();
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
}
