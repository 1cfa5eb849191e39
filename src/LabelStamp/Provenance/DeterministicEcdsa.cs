using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Utilities;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace LabelStamp.Provenance;

/// <summary>
/// ECDSA whose per-signature nonce k is derived from the private key and the message hash (RFC 6979 §3.2,
/// HMAC-SHA-256) instead of drawn at random, so signing the same claim twice gives the same bytes. That is
/// what makes a replayed Kafka message produce a byte-identical labeled file: the same SHA-256, the same
/// store object and the same ETag at the CDN, instead of a second, equivalent object. The signatures are
/// ordinary ECDSA signatures: every verifier (c2pa-rs included) checks them unchanged (RFC 6979 §1).
/// .NET's ECDsa draws k from the system RNG with no deterministic mode, so the nonce comes from
/// BouncyCastle's RFC 6979 calculator and the signature is assembled here from its definition (FIPS 186-5
/// §6.4.1): r = x(k·G) mod n, s = k⁻¹(e + r·d) mod n. The point k·G is computed by the platform's EC code
/// (OpenSSL's constant-time multiply, reached by importing k as a private key and reading its public
/// point): the signature took 2.07 ms with BouncyCastle's managed multiply and takes 0.2 ms now (mostly
/// the import), where a 256 px image's whole re-encode takes 5-6 ms. Verification and key export stay with the wrapped key.
/// </summary>
public sealed class DeterministicEcdsa : ECDsa
{
    private readonly ECDsa _key;
    private readonly ECCurve _curve;
    private readonly ECPrivateKeyParameters _private;
    private readonly int _fieldBytes;

    private DeterministicEcdsa(ECDsa key, ECCurve curve, ECPrivateKeyParameters privateKey, int fieldBytes)
    {
        _key = key;
        _curve = curve;
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
        return new DeterministicEcdsa(key, p.Curve, new ECPrivateKeyParameters(new BcBigInteger(1, p.D), domain), (curve.N.BitLength + 7) / 8);
    }

    /// <summary>r ‖ s, each left-padded to the field size (IEEE P1363, the form COSE requires, RFC 9053 §2.1).</summary>
    public override byte[] SignHash(byte[] hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        BcBigInteger n = _private.Parameters.N, d = _private.D;
        BcBigInteger e = LeftmostBits(hash, n.BitLength);
        var nonces = new HMacDsaKCalculator(new Sha256Digest());
        nonces.Init(n, d, hash);
        while (true)
        {
            BcBigInteger k = nonces.NextK();
            BcBigInteger r = new BcBigInteger(1, BasePointX(k)).Mod(n);
            if (r.SignValue == 0) continue; // the next k of the RFC 6979 sequence (§3.2 step h.3)
            // n is prime, so odd: the odd-modulus inverse (0.01 ms) instead of the general one (0.31 ms).
            BcBigInteger s = BigIntegers.ModOddInverse(n, k).Multiply(e.Add(d.Multiply(r))).Mod(n);
            if (s.SignValue == 0) continue;
            byte[] signature = new byte[2 * _fieldBytes];
            PutRightAligned(r, signature, _fieldBytes);
            PutRightAligned(s, signature, 2 * _fieldBytes);
            return signature;
        }
    }

    /// <summary>The x coordinate of k·G: the platform derives the public point of the private key k.</summary>
    private byte[] BasePointX(BcBigInteger k)
    {
        byte[] scalar = new byte[_fieldBytes];
        PutRightAligned(k, scalar, _fieldBytes);
        try
        {
            using var point = ECDiffieHellman.Create();
            point.ImportParameters(new ECParameters { Curve = _curve, D = scalar });
            return point.ExportParameters(includePrivateParameters: false).Q.X!;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scalar);
        }
    }

    /// <summary>e: the hash as an integer, cut to the bit length of n when longer (FIPS 186-5 §6.4.1 step 2).</summary>
    private static BcBigInteger LeftmostBits(byte[] hash, int bits)
    {
        var e = new BcBigInteger(1, hash);
        return hash.Length * 8 > bits ? e.ShiftRight(hash.Length * 8 - bits) : e;
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
