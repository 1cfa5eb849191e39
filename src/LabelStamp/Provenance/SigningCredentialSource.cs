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
        return LoadOrCreateDevelopmentChain(DevelopmentDirectory);
    }

    /// <summary>The development chain in <paramref name="dir"/>, made first when it is not there.</summary>
    public static (SigningCredentials Credentials, string Source) LoadOrCreateDevelopmentChain(string dir)
    {
        string chain = Path.Combine(dir, "signer.pem"), key = Path.Combine(dir, "signer.key");
        if (!File.Exists(chain) || !File.Exists(key))
        {
            bool made = CreateDevelopmentChain(dir);
            return (SigningCredentials.LoadPem(chain, key), made ? $"new development test chain {dir} (set {ChainVariable} in production)" : $"development test chain {dir}");
        }
        return (SigningCredentials.LoadPem(chain, key), $"development test chain {dir}");
    }

    /// <summary>
    /// Makes the development chain in a private folder beside <paramref name="dir"/> and renames it into
    /// place, so it appears whole or not at all: several workers started at once on a fresh machine (the
    /// demo's processes, a test's workers) would otherwise write their own chains over each other and one of
    /// them would load another's certificate with its own key (LS key mismatch). The first rename wins and
    /// the others load its chain. Returns whether this process made the chain that is now in place.
    /// </summary>
    private static bool CreateDevelopmentChain(string dir)
    {
        string parent = Path.GetDirectoryName(dir)!;
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, "." + Path.GetFileName(dir) + "-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var factory = new CertificateFactory(TimeProvider.System);
            using (var authority = factory.CreateAuthority())
            using (var signer = factory.CreateSigner(authority))
                CertificateFactory.WritePem(staging, authority, signer);
            if (!Directory.Exists(dir))
            {
                try { Directory.Move(staging, dir); return true; }
                catch (IOException) when (Directory.Exists(dir)) { return false; } // another process was first
            }
            // A folder without the chain (made by hand, or left by an older version): fill it file by file;
            // the key goes last, so a reader that sees it also sees its certificate.
            bool made = false;
            foreach (string name in (string[])["ca.pem", "signer.pem", "signer.key"])
            {
                try { File.Move(Path.Combine(staging, name), Path.Combine(dir, name), overwrite: false); made = true; }
                catch (IOException) when (File.Exists(Path.Combine(dir, name))) { }
            }
            return made;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }
}
