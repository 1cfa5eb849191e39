using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LabelStamp.Errors;
using LabelStamp.Files;

namespace LabelStamp.Provenance;

/// <summary>
/// The certificates a verifier trusts as roots for C2PA signers and time-stamping authorities (C2PA 2.x §14.4:
/// a validator's trust list), loaded from a PEM bundle (<c>--trust-anchors</c>, <c>$LABELSTAMP_TRUST_ANCHORS</c>,
/// <c>C2pa:TrustAnchors</c>). Without anchors no trust is judged: reports say "not-checked", never "trusted".
/// Chains are built offline (no AIA downloads, no revocation lookups): a verifier must not call out to
/// addresses a file names.
/// </summary>
public sealed class TrustAnchors
{
    public const string EnvironmentVariable = "LABELSTAMP_TRUST_ANCHORS";

    private const int MaxPemBytes = 4 << 20;

    private readonly X509Certificate2Collection _anchors;

    // Verdicts by chain (leaf and intermediates, hashed): a verifier meets the same few signers and TSAs over and over,
    // and building a chain costs about as much as the rest of a manifest's validation. The verdict does not depend on
    // the time (validity is judged by the caller), so the key needs none. Bounded: cleared when full.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (bool Trusted, string? Reason)> _verdicts = new();
    private const int MaxVerdicts = 4096;

    public TrustAnchors(IEnumerable<X509Certificate2> anchors)
    {
        _anchors = [.. anchors];
        if (_anchors.Count == 0) throw new LabelStampException(ErrorCode.CertificateInvalid, "a trust-anchor list needs at least one certificate");
    }

    public int Count => _anchors.Count;

    /// <summary>The bundle at <paramref name="path"/>.</summary>
    public static TrustAnchors Load(string path)
    {
        if (!File.Exists(path)) throw new LabelStampException(ErrorCode.FileNotFound, $"{path}: trust-anchor PEM bundle not found");
        string pem = System.Text.Encoding.UTF8.GetString(RegularFile.ReadAll(path, MaxPemBytes, followLinks: true, $"{path} (trust anchors)"));
        return FromPem(pem, path);
    }

    public static TrustAnchors FromPem(string pem, string source)
    {
        var certs = new X509Certificate2Collection();
        try { certs.ImportFromPem(pem); }
        catch (CryptographicException e) { throw new LabelStampException(ErrorCode.CertificateInvalid, $"{source}: not a PEM certificate bundle ({e.Message})", e); }
        if (certs.Count == 0) throw new LabelStampException(ErrorCode.CertificateInvalid, $"{source}: holds no PEM certificate; a trust-anchor bundle lists CERTIFICATE blocks");
        return new TrustAnchors(certs);
    }

    /// <summary>The named bundle, else the one <see cref="EnvironmentVariable"/> names, else none.</summary>
    public static TrustAnchors? Resolve(string? path) =>
        !string.IsNullOrEmpty(path) ? Load(path)
        : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env ? Load(env)
        : null;

    /// <summary>
    /// True when <paramref name="leaf"/> chains to an anchor through <paramref name="intermediates"/>. Validity
    /// periods are not judged here (callers judge the leaf at the right time: the time-stamp's, else now); a
    /// broken signature, a wrong issuer or a CA without basicConstraints is.
    /// </summary>
    public bool Chains(X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates, DateTime at, out string? reason)
    {
        var extra = intermediates.ToList();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(leaf.RawData);
        foreach (var c in extra) hash.AppendData(c.RawData);
        string key = Convert.ToHexString(hash.GetHashAndReset());
        if (_verdicts.TryGetValue(key, out var known)) { reason = known.Reason; return known.Trusted; }
        bool trusted = Build(leaf, extra, at, out reason);
        if (_verdicts.Count >= MaxVerdicts) _verdicts.Clear();
        _verdicts[key] = (trusted, reason);
        return trusted;
    }

    private bool Build(X509Certificate2 leaf, List<X509Certificate2> intermediates, DateTime at, out string? reason)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(_anchors);
        foreach (var c in intermediates) policy.ExtraStore.Add(c);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = at;
        policy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid;
        try
        {
            if (chain.Build(leaf)) { reason = null; return true; }
            var status = chain.ChainStatus.Select(s => s.Status).Where(s => s != X509ChainStatusFlags.NoError).Distinct();
            reason = "chain does not reach a trust anchor (" + string.Join(", ", status) + ")";
            return false;
        }
        catch (CryptographicException e)
        {
            reason = "chain cannot be built (" + e.Message + ")";
            return false;
        }
    }
}
