using LabelStamp.Cli.Commands;
using LabelStamp.Labels;
using LabelStamp.Pipeline;
using LabelStamp.Provenance;

namespace LabelStamp.Cli.Console;

/// <summary>
/// The watermark key and C2PA signer of a `stamp` run. What the user named (a key file, $LABELSTAMP_…, a
/// chain) and development material already on disk are loaded up front, so a bad file fails once before
/// any work. A development key or test chain that does not exist yet is created only when the first item
/// is about to be labeled (read, sniffed, its output path free): a run whose inputs all fail before that
/// creates nothing. (An item that then fails inside the labeler, e.g. a truncated JPEG, has already
/// caused the creation; the announcement says so.) Creating one is always announced
/// (a user must know a test key signs their files); which key and signer are used is announced only with
/// --verbose, once, when the first item was labeled.
/// </summary>
public sealed class StampCredentials
{
    private readonly Lock _gate = new();
    private readonly Verbosity _verbosity;
    private readonly string? _keyFile, _chain, _c2paKey;
    private readonly ITimestampAuthority? _tsa;
    // $LABELSTAMP_TRUST_ANCHORS: how a prior manifest in the input is judged when it becomes our ingredient.
    private readonly TrustAnchors? _anchors = TrustAnchors.Resolve(null);
    private readonly bool _provenanceWanted;
    private (MarkKey Key, string Source)? _key;
    private (SigningCredentials Credentials, string Source)? _signer;
    private bool _announced;

    private StampCredentials(string? keyFile, string? chain, string? c2paKey, ITimestampAuthority? tsa, bool provenanceWanted, Verbosity verbosity)
    {
        (_keyFile, _chain, _c2paKey, _tsa, _provenanceWanted, _verbosity) = (keyFile, chain, c2paKey, tsa, provenanceWanted, verbosity);
    }

    /// <summary>Loads whatever exists (throws its error now); leaves what would be created for <see cref="Get"/>.</summary>
    /// <param name="tsa">The RFC 3161 time-stamping authority for C2PA signatures (<c>--tsa</c>), or none.</param>
    public static StampCredentials Prepare(string? keyFile, LabelPolicy policy, string? chain, string? c2paKey, Verbosity verbosity, ITimestampAuthority? tsa = null)
    {
        var credentials = new StampCredentials(keyFile, chain, c2paKey, tsa, (policy.Layers & Layers.Provenance) != 0, verbosity);
        credentials._key = MarkKeySource.Resolve(keyFile, createDevelopmentKey: false);
        bool chainNamed = !string.IsNullOrEmpty(chain) || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(SigningCredentialSource.ChainVariable));
        bool developmentChainExists = File.Exists(Path.Combine(SigningCredentialSource.DevelopmentDirectory, "signer.pem"))
                                      && File.Exists(Path.Combine(SigningCredentialSource.DevelopmentDirectory, "signer.key"));
        if (credentials._provenanceWanted && (chainNamed || developmentChainExists))
            credentials._signer = SigningCredentialSource.Resolve(chain, c2paKey);
        return credentials;
    }

    /// <summary>The key and the C2PA writer (null when the policy leaves provenance out), creating development material on first use.</summary>
    public (MarkKey Key, IProvenanceWriter? Provenance) Get()
    {
        lock (_gate)
        {
            if (_key is null)
            {
                _key = MarkKeySource.Resolve(_keyFile, createDevelopmentKey: true);
                System.Console.Error.WriteLine($"labelstamp: {_key!.Value.Source}; watermark key {_key.Value.Key.KeyId}");
            }
            if (_provenanceWanted && _signer is null)
            {
                _signer = SigningCredentialSource.Resolve(_chain, _c2paKey);
                System.Console.Error.WriteLine($"labelstamp: {_signer.Value.Source}; C2PA signer {_signer.Value.Credentials.Leaf.Subject}");
            }
            return (_key.Value.Key, _signer is { } s ? new C2paProvenanceWriter(new C2paOptions(s.Credentials) { TimestampAuthority = _tsa, TrustAnchors = _anchors }) : null);
        }
    }

    /// <summary>With --verbose: which key and signer label the files, printed once (call after an item was labeled).</summary>
    public void AnnounceOnce(string? mode = null)
    {
        if (_verbosity != Verbosity.Verbose) return;
        lock (_gate)
        {
            if (_announced || _key is not { } key) return;
            _announced = true;
            System.Console.Error.WriteLine($"labelstamp: {mode}key {key.Key.KeyId} from {key.Source}");
            if (_signer is { } s) System.Console.Error.WriteLine($"labelstamp: C2PA signer {s.Credentials.Leaf.Subject} from {s.Source}");
        }
    }
}
