namespace LabelStamp.Provenance;

/// <summary>
/// Where the C2PA signing chain comes from: an explicit PEM chain (key from a PEM file or
/// $LABELSTAMP_C2PA_KEY), $LABELSTAMP_C2PA_CHAIN, then a per-user development chain under
/// ~/.config/labelstamp/c2pa made by <see cref="CertificateFactory"/> on first use (stamping only;
/// its signer is a test CA that no validator trusts, and the stamp command says so).
/// </summary>
public static class SigningCredentialSource
{
    public const string ChainVariable = "LABELSTAMP_C2PA_CHAIN";
    public const string KeyFileVariable = "LABELSTAMP_C2PA_KEY_FILE";

    public static string DevelopmentDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "labelstamp", "c2pa");

    public static (SigningCredentials Credentials, string Source) Resolve(string? chainPem, string? keyPem)
    {
        chainPem ??= Environment.GetEnvironmentVariable(ChainVariable);
        keyPem ??= Environment.GetEnvironmentVariable(KeyFileVariable);
        if (!string.IsNullOrEmpty(chainPem)) return (SigningCredentials.LoadPem(chainPem, string.IsNullOrEmpty(keyPem) ? null : keyPem), $"chain {chainPem}");
        string dir = DevelopmentDirectory;
        string chain = Path.Combine(dir, "signer.pem"), key = Path.Combine(dir, "signer.key");
        if (!File.Exists(chain) || !File.Exists(key))
        {
            var factory = new CertificateFactory(TimeProvider.System);
            using var authority = factory.CreateAuthority();
            CertificateFactory.WritePem(dir, authority, factory.CreateSigner(authority));
            return (SigningCredentials.LoadPem(chain, key), $"new development test chain {dir} (set {ChainVariable} in production)");
        }
        return (SigningCredentials.LoadPem(chain, key), $"development test chain {dir}");
    }
}
