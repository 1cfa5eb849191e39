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
        return this;
    }
}
