using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LabelStamp.Errors;

namespace LabelStamp.Provenance;

/// <summary>
/// Makes a test CA and a claim-signing leaf with the C2PA certificate profile (C2PA §14.5.1): X.509 v3,
/// EC P-256, KeyUsage critical digitalSignature, EKU emailProtection plus the C2PA signing EKU
/// 1.3.6.1.4.1.62558.2.1, AuthorityKeyIdentifier and SubjectKeyIdentifier. Validators (c2pa-rs, c2pa-ts)
/// refuse self-signed signing certificates, hence the two levels. Test use only: real deployments get
/// a leaf from a CA on the C2PA trust list.
/// </summary>
public sealed class CertificateFactory(TimeProvider time)
{
    public const string C2paSigningEku = "1.3.6.1.4.1.62558.2.1";
    public const string EmailProtectionEku = "1.3.6.1.5.5.7.3.4";

    public CertificateFactory() : this(TimeProvider.System) { }

    /// <summary>A self-signed CA (basicConstraints CA, keyCertSign + cRLSign, SKI), valid ten years.</summary>
    public X509Certificate2 CreateAuthority(string commonName = "LabelStamp Test CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest($"CN={commonName}, O=LabelStamp", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        var ski = new X509SubjectKeyIdentifierExtension(req.PublicKey, false);
        req.CertificateExtensions.Add(ski);
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(ski));
        var now = time.GetUtcNow();
        return req.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
    }

    /// <summary>A claim-signing leaf issued by <paramref name="authority"/> (which must carry its private key), valid two years.</summary>
    public SigningCredentials CreateSigner(X509Certificate2 authority, string commonName = "LabelStamp C2PA Signer")
    {
        using var caKey = authority.GetECDsaPrivateKey()
                          ?? throw new LabelStampException(ErrorCode.CertificateInvalid, $"{authority.Subject}: CA certificate has no private EC key");
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest($"CN={commonName}, O=LabelStamp", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(EmailProtectionEku), new Oid(C2paSigningEku)], false));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var now = time.GetUtcNow();
        var notAfter = now.AddYears(2) < authority.NotAfter ? now.AddYears(2) : authority.NotAfter.ToUniversalTime();
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x3F) | 0x40); // positive and minimal as a DER INTEGER (RFC 5280 §4.1.2.2)
        using var issued = req.Create(authority.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddDays(-1), notAfter, serial);
        var leaf = X509CertificateLoader.LoadCertificate(issued.RawData);
        var ca = X509CertificateLoader.LoadCertificate(authority.RawData);
        return new SigningCredentials(leaf, [ca], key);
    }

    public const string TimeStampingEku = "1.3.6.1.5.5.7.3.8";

    /// <summary>
    /// A time-stamping certificate issued by <paramref name="authority"/>, with its private key, valid ten years
    /// within the authority's life: RFC 3161 §2.3 wants the timeStamping EKU as the only purpose and critical;
    /// KeyUsage digitalSignature critical and AKI/SKI as for the claim signer. For test TSAs only.
    /// </summary>
    public X509Certificate2 CreateTimestampAuthority(X509Certificate2 authority, string commonName = "LabelStamp Test TSA")
    {
        using var caKey = authority.GetECDsaPrivateKey()
                          ?? throw new LabelStampException(ErrorCode.CertificateInvalid, $"{authority.Subject}: CA certificate has no private EC key");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest($"CN={commonName}, O=LabelStamp", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(TimeStampingEku)], true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var now = time.GetUtcNow();
        var notAfter = now.AddYears(10) < authority.NotAfter ? now.AddYears(10) : authority.NotAfter.ToUniversalTime();
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x3F) | 0x40);
        using var issued = req.Create(authority.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddDays(-1), notAfter, serial);
        using var publicOnly = X509CertificateLoader.LoadCertificate(issued.RawData);
        return publicOnly.CopyWithPrivateKey(key);
    }

    /// <summary>Writes ca.pem, signer.pem (leaf then CA) and signer.key (PKCS#8, owner-only where the OS allows) into <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> WritePem(string directory, X509Certificate2 authority, SigningCredentials signer)
    {
        Directory.CreateDirectory(directory);
        string caPath = Path.Combine(directory, "ca.pem"), chainPath = Path.Combine(directory, "signer.pem"), keyPath = Path.Combine(directory, "signer.key");
        File.WriteAllText(caPath, authority.ExportCertificatePem() + "\n");
        File.WriteAllText(chainPath, signer.Leaf.ExportCertificatePem() + "\n" + string.Concat(signer.Chain.Select(c => c.ExportCertificatePem() + "\n")));
        if (OperatingSystem.IsWindows()) File.WriteAllText(keyPath, signer.Key.ExportPkcs8PrivateKeyPem() + "\n");
        else
        {
            using var stream = new FileStream(keyPath, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
            using var writer = new StreamWriter(stream);
            writer.Write(signer.Key.ExportPkcs8PrivateKeyPem() + "\n");
        }
        return [caPath, chainPath, keyPath];
    }
}
