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

    public OriginOptions Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new LabelStampException(ErrorCode.InvalidArgument, "serve configuration: " + message);
        }
        Require(Uri.TryCreate(Listen, UriKind.Absolute, out var listen) && listen.Scheme is "http" or "https", $"Listen '{Listen}' must be an http:// URL such as http://127.0.0.1:8080");
        Require(Store.Length > 0 && Store.StartsWith("file://", StringComparison.OrdinalIgnoreCase), $"Store '{Store}' must be a file:// URI (--store)");
        Require(MaxUploadBytes is > 0 and <= 4L << 30, "MaxUploadBytes must be 1 byte..4 GiB");
        Require(VerifyBurst is > 0 and <= 100_000 && VerifyPerMinute is > 0 and <= 1_000_000, "VerifyBurst and VerifyPerMinute must be positive");
        Require(VerifyConcurrency is > 0 and <= 1024, "VerifyConcurrency must be 1..1024");
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
