using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LabelStamp.Provenance;
using LabelStamp.TestSupport;

namespace LabelStamp.Tests.Provenance;

/// <summary>
/// One test CA (P-256) and a claim-signing leaf per C2PA signature algorithm, as PEM files for the reference
/// implementation's signer (rs-sign.mjs): ES256/384/512 (P-256/384/521), PS256 (RSA 2048, rsaEncryption key) and
/// Ed25519 (key made by node, certificate issued here from its public key: .NET cannot make Ed25519 keys). Every
/// leaf has the C2PA profile of <see cref="CertificateFactory.CreateSigner"/>.
/// </summary>
public sealed class ForeignSigners : IDisposable
{
    public static readonly string[] Algorithms = ["es256", "es384", "es512", "ps256", "ed25519"];

    private readonly X509Certificate2 _ca;
    private readonly string _dir;

    public ForeignSigners() : this(Path.Combine(Path.GetTempPath(), "labelstamp-foreign-" + Guid.NewGuid().ToString("N")[..8])) { }

    private ForeignSigners(string directory)
    {
        _dir = directory;
        Directory.CreateDirectory(directory);
        _ca = new CertificateFactory().CreateAuthority("Foreign Set CA");
        AnchorPem = Path.Combine(directory, "ca.pem");
        File.WriteAllText(AnchorPem, _ca.ExportCertificatePem() + "\n");
    }

    public string AnchorPem { get; }

    public X509Certificate2 Authority => _ca;

    /// <summary>(chain PEM, key PEM) for <paramref name="alg"/>, made on first use.</summary>
    public (string Chain, string Key) For(string alg)
    {
        string chain = Path.Combine(_dir, alg + ".pem"), keyPath = Path.Combine(_dir, alg + ".key");
        if (File.Exists(chain)) return (chain, keyPath);
        string keyPem;
        PublicKey publicKey;
        switch (alg)
        {
            case "es256" or "es384" or "es512":
                using (var ec = ECDsa.Create(alg == "es256" ? ECCurve.NamedCurves.nistP256 : alg == "es384" ? ECCurve.NamedCurves.nistP384 : ECCurve.NamedCurves.nistP521))
                {
                    keyPem = ec.ExportPkcs8PrivateKeyPem();
                    publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(ec.ExportSubjectPublicKeyInfo(), out _);
                }
                break;
            case "ps256":
                using (var rsa = RSA.Create(2048))
                {
                    keyPem = rsa.ExportPkcs8PrivateKeyPem();
                    publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo(), out _);
                }
                break;
            case "ed25519":
                var (exit, stdout, stderr) = ExternalTool.Run("node", ["-e",
                    "const k=require('crypto').generateKeyPairSync('ed25519');" +
                    "process.stdout.write(k.privateKey.export({type:'pkcs8',format:'pem'})+'|'+k.publicKey.export({type:'spki',format:'der'}).toString('base64'))"]);
                if (exit != 0) throw new InvalidOperationException("node could not make an Ed25519 key: " + stderr);
                var parts = stdout.Split('|');
                keyPem = parts[0];
                publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(Convert.FromBase64String(parts[1].Trim()), out _);
                break;
            default: throw new ArgumentException(alg);
        }
        var req = new CertificateRequest(new X500DistinguishedName($"CN=Foreign {alg} Signer, O=Foreign Set"), publicKey, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(CertificateFactory.EmailProtectionEku), new Oid(CertificateFactory.C2paSigningEku)], false));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, false));
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        using var caKey = _ca.GetECDsaPrivateKey()!;
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x3F) | 0x40);
        using var leaf = req.Create(_ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), serial);
        File.WriteAllText(chain, leaf.ExportCertificatePem() + "\n" + _ca.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, keyPem + "\n");
        return (chain, keyPath);
    }

    public void Dispose()
    {
        _ca.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { /* temp cleanup is best effort */ }
    }
}
