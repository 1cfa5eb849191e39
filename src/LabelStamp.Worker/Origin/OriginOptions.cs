using System.Net;
using System.Net.Sockets;
using LabelStamp.Errors;

namespace LabelStamp.Worker.Origin;

/// <summary>`labelstamp serve`: where it listens, which store it serves, and the limits of the free detection API.</summary>
public sealed record OriginOptions
{
    public const string Section = "Origin";

    /// <summary>Loopback by default: a CDN or reverse proxy in front is the public face (docs/platform.md).</summary>
    public string Listen { get; init; } = "http://127.0.0.1:8080";

    /// <summary>The claim-check store the workers write (file:///dir).</summary>
    public string Store { get; init; } = "";

    /// <summary>Largest upload POST /verify reads; larger ones get 413 before the body is read.</summary>
    public long MaxUploadBytes { get; init; } = 64L << 20;

    /// <summary>
    /// Upload bytes all POST /verify requests together may hold in memory (buffered bodies waiting for or
    /// under verification); a request that would exceed it gets 503 with Retry-After. Unset: 4 × MaxUploadBytes
    /// (256 MiB with the default cap). A request reserves its Content-Length before reading a byte; a chunked
    /// one reserves MaxUploadBytes, as it may be that large.
    /// Why: with the per-address rate limit alone, twenty addresses buffered 2.4 GB.
    /// </summary>
    public long? MaxUploadBytesInFlight { get; init; }

    /// <summary>The upload budget in force: <see cref="MaxUploadBytesInFlight"/>, else 4 × <see cref="MaxUploadBytes"/>.</summary>
    public long UploadBytesInFlight => MaxUploadBytesInFlight ?? 4 * MaxUploadBytes;

    /// <summary>Token bucket per client address for POST /verify: burst size and refill per minute.</summary>
    public int VerifyBurst { get; init; } = 10;
    public int VerifyPerMinute { get; init; } = 30;

    /// <summary>
    /// Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR networks, e.g. 127.0.0.1, 10.0.0.0/8).
    /// Empty (the default): the header is ignored, so a client cannot pick its own rate-limit bucket.
    /// With proxies listed, the client is the rightmost forwarded address that is not one of them.
    /// </summary>
    public string[] TrustedProxies { get; init; } = [];

    /// <summary>Verifications running at once (each holds its upload in memory).</summary>
    public int VerifyConcurrency { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>
    /// Uploads that may wait for a verification slot; one more gets 503 with Retry-After rather than
    /// an unbounded queue behind CPU-bound verifications.
    /// </summary>
    public int VerifyQueue { get; init; } = 8;

    /// <summary>
    /// Every POST /verify is answered within this time after its upload arrived: waiting for a slot past it
    /// gives 503, verifying past it gives 422 with error LS112. The verification is cancelled then.
    /// </summary>
    public TimeSpan VerifyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public OriginOptions Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new LabelStampException(ErrorCode.InvalidArgument, "serve configuration: " + message);
        }
        Require(Uri.TryCreate(Listen, UriKind.Absolute, out var listen) && listen.Scheme is "http" or "https", $"Listen '{Listen}' must be an http:// URL such as http://127.0.0.1:8080");
        Require(Store.Length > 0 && Store.StartsWith("file://", StringComparison.OrdinalIgnoreCase), $"Store '{Store}' must be a file:// URI (--store)");
        // One upload is one array (the verifier reads a contiguous buffer), so 2 GiB is the ceiling.
        Require(MaxUploadBytes > 0 && MaxUploadBytes <= Array.MaxLength, $"MaxUploadBytes must be 1..{Array.MaxLength} bytes (an upload is held in one buffer)");
        Require(UploadBytesInFlight >= MaxUploadBytes && UploadBytesInFlight <= 1L << 40,
            $"MaxUploadBytesInFlight ({UploadBytesInFlight}) must be at least MaxUploadBytes ({MaxUploadBytes}), else an allowed upload could never be verified, and at most 1 TiB");
        Require(VerifyBurst is > 0 and <= 100_000 && VerifyPerMinute is > 0 and <= 1_000_000, "VerifyBurst and VerifyPerMinute must be positive");
        Require(VerifyConcurrency is > 0 and <= 1024, "VerifyConcurrency must be 1..1024");
        Require(VerifyQueue is >= 0 and <= 100_000, "VerifyQueue must be 0..100000 (0: no waiting, busy answers 503 at once)");
        Require(VerifyTimeout >= TimeSpan.FromSeconds(1) && VerifyTimeout <= TimeSpan.FromHours(1), $"VerifyTimeout {VerifyTimeout} must be 1 s..1 h");
        foreach (string proxy in TrustedProxies)
            Require(TryParseNetwork(proxy, out _), $"TrustedProxies entry '{proxy}' must be an IP address or a CIDR network such as 10.0.0.0/8");
        return this;
    }

    /// <summary><see cref="TrustedProxies"/> as networks (a bare address is a /32 or /128).</summary>
    public IReadOnlyList<IPNetwork> TrustedNetworks() =>
        [.. TrustedProxies.Select(p => TryParseNetwork(p, out var n) ? n : throw new LabelStampException(ErrorCode.InvalidArgument, $"serve configuration: bad TrustedProxies entry '{p}'"))];

    private static bool TryParseNetwork(string text, out IPNetwork network)
    {
        text = text.Trim();
        if (IPAddress.TryParse(text, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }
        return IPNetwork.TryParse(text, out network);
    }
}
