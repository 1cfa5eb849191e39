using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LabelStamp.Errors;
using LabelStamp.Files;

namespace LabelStamp.Provenance;

/// <summary>
/// The claim signer's certificate chain and private key. Production loads a PEM chain (leaf first, then
/// intermediates; C2PA §14.5 wants the chain in x5chain, the trust anchor may be left out) and a PKCS#8
/// or SEC1 EC key from a file or an environment variable. The key is never printed: <see cref="ToString"/>
/// shows the subject only.
/// </summary>
public sealed class SigningCredentials : IDisposable
{
    public const string KeyEnvironmentVariable = "LABELSTAMP_C2PA_KEY";

    public SigningCredentials(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> chain, ECDsa key)
    {
        Leaf = leaf;
        Chain = chain;
        Key = key;
        _signingKey = DeterministicEcdsa.TryCreate(key);
    }

    private readonly DeterministicEcdsa? _signingKey;

    public X509Certificate2 Leaf { get; }

    /// <summary>Certificates after the leaf (intermediates, optionally the root).</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    public ECDsa Key { get; }

    /// <summary>What claims are signed with: the key behind RFC 6979 nonces (<see cref="DeterministicEcdsa"/>),
    /// so the same claim always gets the same signature; the key itself when it cannot be exported.</summary>
    public ECDsa SigningKey => _signingKey ?? Key;

    private SizingEntry? _sizing;

    private sealed record SizingEntry(ITimestampAuthority? Authority, int Reserve, byte[] Signature);

    /// <summary>
    /// A COSE_Sign1 for a store's sizing passes, where only its length counts: every field of a claim signature but
    /// the signature bytes is the same for every claim, and an ECDSA signature has a fixed length, so one real
    /// signature per TSA setting stands in for the two sizing signatures of every store (0.2-0.3 ms each, a tenth of
    /// a 256 px image's plain re-encode). Should a length ever differ, the final pass's length check refuses the
    /// store; it is never written. Kept here, with the key it was made by; concurrent stamps may both make it.
    /// </summary>
    internal byte[] SizingSignature(byte[] claim, ITimestampAuthority? tsa, int reserve)
    {
        var entry = Volatile.Read(ref _sizing);
        if (entry is not null && ReferenceEquals(entry.Authority, tsa) && entry.Reserve == reserve) return entry.Signature;
        byte[] signature = ClaimSigner.Sign(claim, this, tsa, reserve, final: false);
        Volatile.Write(ref _sizing, new SizingEntry(tsa, reserve, signature));
        return signature;
    }

    /// <summary>Loads the chain from <paramref name="chainPemPath"/> and the key from <paramref name="keyPemPath"/>,
    /// or, when that is null, from the environment variable <see cref="KeyEnvironmentVariable"/>.</summary>
    public static SigningCredentials LoadPem(string chainPemPath, string? keyPemPath)
    {
        if (!File.Exists(chainPemPath))
            throw new LabelStampException(ErrorCode.FileNotFound, $"{chainPemPath}: C2PA certificate chain not found; run 'labelstamp keys' for a test chain");
        string keyPem;
        string keySource;
        if (keyPemPath is not null)
        {
            if (!File.Exists(keyPemPath))
                throw new LabelStampException(ErrorCode.KeyMissing, $"{keyPemPath}: C2PA signing key not found");
            keyPem = ReadPem(keyPemPath, "C2PA signing key");
            keySource = keyPemPath;
        }
        else
        {
            keyPem = Environment.GetEnvironmentVariable(KeyEnvironmentVariable)
                     ?? throw new LabelStampException(ErrorCode.KeyMissing, $"no C2PA signing key: give a key file or set {KeyEnvironmentVariable}");
            keySource = "$" + KeyEnvironmentVariable;
        }
        return FromPem(ReadPem(chainPemPath, "C2PA certificate chain"), keyPem, chainPemPath, keySource);
    }

    /// <summary>A PEM file, bounded (a chain of a few certificates is a few KB) and a regular file only.</summary>
    private static string ReadPem(string path, string what) =>
        System.Text.Encoding.UTF8.GetString(RegularFile.ReadAll(path, MaxPemBytes, followLinks: true, $"{path} ({what})"));

    private const int MaxPemBytes = 1 << 20;

    public static SigningCredentials FromPem(string chainPem, string keyPem, string chainSource, string keySource)
    {
        var certs = new X509Certificate2Collection();
        try { certs.ImportFromPem(chainPem); }
        catch (CryptographicException e) { throw new LabelStampException(ErrorCode.CertificateInvalid, $"{chainSource}: not a PEM certificate chain ({e.Message})", e); }
        if (certs.Count == 0) throw new LabelStampException(ErrorCode.CertificateInvalid, $"{chainSource}: holds no certificate");
        var key = ECDsa.Create();
        try { key.ImportFromPem(keyPem); }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            key.Dispose();
            // The message never includes the key text.
            throw new LabelStampException(ErrorCode.KeyInvalid, $"{keySource}: not a PEM EC private key", e);
        }
        using var leafKey = certs[0].GetECDsaPublicKey()
                            ?? throw new LabelStampException(ErrorCode.CertificateInvalid, $"{chainSource}: the first certificate has no EC (P-256) key; C2PA ES256 needs one");
        if (!leafKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
        {
            key.Dispose();
            throw new LabelStampException(ErrorCode.KeyInvalid, $"{keySource}: the key does not belong to the first certificate in {chainSource}");
        }
        return new SigningCredentials(certs[0], [.. certs.Skip(1)], key);
    }

    public override string ToString() => $"SigningCredentials({Leaf.Subject})";

    public void Dispose()
    {
        _signingKey?.Dispose();
        Key.Dispose();
        Leaf.Dispose();
        foreach (var c in Chain) c.Dispose();
    }
}
