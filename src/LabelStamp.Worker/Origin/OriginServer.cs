using System.Diagnostics;
using System.Threading.RateLimiting;
using LabelStamp.Verification;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace LabelStamp.Worker.Origin;

/// <summary>
/// `labelstamp serve` (spec §7, §9): a Kestrel HTTP origin for the CDN over the claim-check store and
/// the free detection API (EU Code of Practice on marking). Routes:
/// <list type="bullet">
/// <item>GET/HEAD <c>/media/{content id}</c> — newest object of that content ID;</item>
/// <item>GET/HEAD <c>/objects/{object name}</c> — exactly that object (the file name of an <c>ls-ref</c>);</item>
/// <item>POST <c>/verify</c> — raw or multipart upload, capped and rate-limited, answers the verify --json report;</item>
/// <item>GET <c>/health</c>.</item>
/// </list>
/// Kestrel's file results implement RFC 9110 range and conditional requests (ETag, If-None-Match → 304,
/// one range → 206, unsatisfiable → 416; a multi-range request is answered with the whole object, 200).
/// Logs carry sizes, status codes and timings, never client addresses or file contents.
/// </summary>
public sealed class OriginServer : IAsyncDisposable
{
    public const string ImmutableCacheControl = "public, max-age=31536000, immutable";

    private readonly WebApplication _app;
    private readonly PartitionedRateLimiter<HttpContext> _limiter;
    private readonly SemaphoreSlim _verifySlots;

    public OriginServer(OriginOptions options, Verifier verifier, VerifyOptions verifyOptions, Action<ILoggingBuilder>? logging = null)
    {
        options.Validate();
        var index = StoreIndex.FromUri(options.Store);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Directory.GetCurrentDirectory() });
        builder.WebHost.UseUrls(options.Listen);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxUploadBytes + (64 << 10);
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("LabelStamp", LogLevel.Information);
        logging?.Invoke(builder.Logging);
        _app = builder.Build();
        var log = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("LabelStamp.Origin");
        if (options.TrustedProxies.Length > 0)
        {
            // Only then is X-Forwarded-For read; the framework's defaults (loopback) are replaced by the list.
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = null };
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var network in options.TrustedNetworks()) forwarded.KnownIPNetworks.Add(network);
            _app.UseForwardedHeaders(forwarded);
        }

        _limiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx => RateLimitPartition.GetTokenBucketLimiter(
            ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.VerifyBurst,
                // Refill in small steps (every 10 s) when the rate allows, else one token per 60/rate seconds.
                TokensPerPeriod = Math.Max(1, options.VerifyPerMinute / 6),
                ReplenishmentPeriod = options.VerifyPerMinute >= 6 ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(60.0 / options.VerifyPerMinute),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        _verifySlots = new SemaphoreSlim(options.VerifyConcurrency);

        _app.MapMethods("/media/{**id}", ["GET", "HEAD"], (HttpContext ctx, string id) =>
            // Kestrel decodes every escape in the path except %2F (so a slash in an ID can travel encoded).
            Serve(ctx, index.FindByContentId(id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase))));
        _app.MapMethods("/objects/{name}", ["GET", "HEAD"], (HttpContext ctx, string name) => Serve(ctx, index.FindByName(name)));
        _app.MapGet("/health", () => Results.Text("ok\n"));
        _app.MapPost("/verify", async (HttpContext ctx) =>
        {
            long start = Stopwatch.GetTimestamp();
            using var lease = _limiter.AttemptAcquire(ctx);
            if (!lease.IsAcquired)
            {
                ctx.Response.Headers.RetryAfter = "10";
                log.LogInformation("verify refused: rate limit (429)");
                return Results.Text("rate limit exceeded; retry later\n", statusCode: StatusCodes.Status429TooManyRequests);
            }
            var (bytes, status) = await UploadReader.ReadAsync(ctx.Request, options.MaxUploadBytes, ctx.RequestAborted).ConfigureAwait(false);
            if (bytes is null)
            {
                log.LogInformation("verify refused: {Status}", status);
                return status == StatusCodes.Status413PayloadTooLarge
                    ? Results.Text($"upload larger than {options.MaxUploadBytes} bytes\n", statusCode: status)
                    : Results.Text("send the file as the request body or as a multipart/form-data file part\n", statusCode: status);
            }
            await _verifySlots.WaitAsync(ctx.RequestAborted).ConfigureAwait(false);
            VerifyReport report;
            try { report = await verifier.VerifyAsync(bytes, "upload", verifyOptions, ctx.RequestAborted).ConfigureAwait(false); }
            finally { _verifySlots.Release(); }
            string verdict = report.ErrorCode is not null ? "error" : report.AiLabelFound ? "found" : "none";
            ctx.Response.Headers["X-LabelStamp-Verdict"] = verdict;
            ctx.Response.Headers.CacheControl = "no-store";
            log.LogInformation("verify: {Bytes} bytes, {Verdict} {Code}, {Ms:0} ms", bytes.Length, verdict, report.ErrorCode ?? "", Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            return Results.Text(VerifyReportJson.Serialize(report) + "\n", "application/json",
                statusCode: report.ErrorCode is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
        });
    }

    /// <summary>The addresses Kestrel bound (with the real port when 0 was asked for); valid after <see cref="StartAsync"/>.</summary>
    public ICollection<string> Urls => _app.Urls;

    public Task StartAsync(CancellationToken ct = default) => _app.StartAsync(ct);

    public Task WaitForShutdownAsync(CancellationToken ct = default) => _app.WaitForShutdownAsync(ct);

    private static IResult Serve(HttpContext ctx, StoredObject? found)
    {
        if (found is null)
        {
            ctx.Response.Headers.CacheControl = "no-store";
            return Results.Text("not found\n", statusCode: StatusCodes.Status404NotFound);
        }
        ctx.Response.Headers.CacheControl = ImmutableCacheControl;
        ctx.Response.Headers["X-Content-Type-Options"] = "nosniff";
        // Strong ETag = the full SHA-256 of the bytes (the Kafka ls-sha256 of the same object).
        return Results.File(found.Path, found.ContentType, lastModified: found.LastModified,
            entityTag: new EntityTagHeaderValue("\"" + found.Sha256 + "\""), enableRangeProcessing: true);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        _limiter.Dispose();
        _verifySlots.Dispose();
    }
}
