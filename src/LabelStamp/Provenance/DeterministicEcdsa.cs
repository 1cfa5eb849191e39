using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace LabelStamp.Provenance;

/// <summary>
/// ECDSA whose per-signature nonce k is derived from the private key and the message hash (RFC 6979 §3.2,
/// HMAC-SHA-256) instead of drawn at random, so signing the same claim twice gives the same bytes. That is
/// what makes a replayed Kafka message produce a byte-identical labeled file: the same SHA-256, the same
/// store object and the same ETag at the CDN, instead of a second, equivalent object. The signatures are
/// ordinary ECDSA signatures: every verifier (c2pa-rs included) checks them unchanged (RFC 6979 §1).
/// .NET's ECDsa draws k from the system RNG with no deterministic mode, so the nonce and the signature
/// come from BouncyCastle's RFC 6979 signer; verification and key export stay with the wrapped key.
/// </summary>
public sealed class DeterministicEcdsa : ECDsa
{
    private readonly ECDsa _key;
    private readonly ECPrivateKeyParameters _private;
    private readonly int _fieldBytes;

    private DeterministicEcdsa(ECDsa key, ECPrivateKeyParameters privateKey, int fieldBytes)
    {
        _key = key;
        _private = privateKey;
        _fieldBytes = fieldBytes;
        KeySizeValue = key.KeySize;
        LegalKeySizesValue = [new KeySizes(key.KeySize, key.KeySize, 0)];
    }

    /// <summary>The deterministic signer for <paramref name="key"/> (a named NIST curve with an exportable
    /// private scalar), or null when the key cannot be exported (e.g. held in hardware): the caller then signs
    /// with the key itself, and its signatures are randomised as usual.</summary>
    public static DeterministicEcdsa? TryCreate(ECDsa key)
    {
        ECParameters p;
        try { p = key.ExportParameters(includePrivateParameters: true); }
        catch (CryptographicException) { return null; }
        if (p.D is null || !p.Curve.IsNamed || p.Curve.Oid.Value is not { } oid) return null;
        X9ECParameters? curve = ECNamedCurveTable.GetByOid(new DerObjectIdentifier(oid));
        if (curve is null) return null;
        var domain = new ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H, curve.GetSeed());
        return new DeterministicEcdsa(key, new ECPrivateKeyParameters(new BcBigInteger(1, p.D), domain), (curve.N.BitLength + 7) / 8);
    }

    /// <summary>r ‖ s, each left-padded to the field size (IEEE P1363, the form COSE requires, RFC 9053 §2.1).</summary>
    public override byte[] SignHash(byte[] hash)
    {
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        signer.Init(true, _private);
        var rs = signer.GenerateSignature(hash);
        byte[] signature = new byte[2 * _fieldBytes];
        PutRightAligned(rs[0], signature, _fieldBytes);
        PutRightAligned(rs[1], signature, 2 * _fieldBytes);
        return signature;
    }

    private static void PutRightAligned(BcBigInteger value, byte[] destination, int end)
    {
        byte[] bytes = value.ToByteArrayUnsigned();
        bytes.CopyTo(destination, end - bytes.Length);
    }

    public override bool VerifyHash(byte[] hash, byte[] signature) => _key.VerifyHash(hash, signature);

    public override ECParameters ExportParameters(bool includePrivateParameters) => _key.ExportParameters(includePrivateParameters);

    public override ECParameters ExportExplicitParameters(bool includePrivateParameters) => _key.ExportExplicitParameters(includePrivateParameters);

    public override void ImportParameters(ECParameters parameters) =>
        throw new NotSupportedException("A deterministic signer wraps one key; import into the key itself.");

    public override void GenerateKey(ECCurve curve) =>
        throw new NotSupportedException("A deterministic signer wraps one key; generate the key itself.");
}
