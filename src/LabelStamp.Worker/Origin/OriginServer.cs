using LabelStamp.Errors;
using LabelStamp.Verification;
using Microsoft.AspNetCore.Connections;
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
/// <item>POST <c>/verify</c> — raw or multipart upload, capped, rate-limited and admitted within the shared upload
/// budget and verify line (<see cref="VerifyEndpoint"/>), answers the verify --json report;</item>
/// <item>GET <c>/health</c>;</item>
/// <item>GET <c>/</c> — the verifier page (<see cref="VerifierPage"/>): pick or drop a file, see every layer.</item>
/// </list>
/// Kestrel's file results implement RFC 9110 range and conditional requests (ETag, If-None-Match → 304,
/// one range → 206, unsatisfiable → 416; a multi-range request is answered with the whole object, 200).
/// Logs carry sizes, status codes and timings, never client addresses or file contents.
/// </summary>
public sealed class OriginServer : IAsyncDisposable
{
    public const string ImmutableCacheControl = "public, max-age=31536000, immutable";

    private readonly WebApplication _app;
    private readonly VerifyEndpoint _verify;
    private readonly string _listen;

    public OriginServer(OriginOptions options, Verifier verifier, VerifyOptions verifyOptions, Action<ILoggingBuilder>? logging = null)
    {
        options.Validate();
        var index = StoreIndex.FromUri(options.Store);
        _listen = options.Listen;
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
        // Client errors are logged once, by VerifyEndpoint, without a trace. Kestrel's bad-request and
        // connection categories log them again with the exception, at Debug/Information only; pinned here so a
        // lower minimum level configured later still keeps them out. Kestrel's own category stays at Warning:
        // what reaches it (an exception our handler did not expect) is a server bug worth its trace.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel.BadRequests", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel.Connections", LogLevel.Warning);
        // A failed start (address in use) is rethrown from StartAsync and printed as one error line by the CLI.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
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

        _verify = new VerifyEndpoint(options, verifier, verifyOptions, log);

        _app.MapMethods("/media/{**id}", ["GET", "HEAD"], (HttpContext ctx, string id) =>
            // Kestrel decodes every escape in the path except %2F (so a slash in an ID can travel encoded).
            Serve(ctx, index.FindByContentId(id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase))));
        _app.MapMethods("/objects/{name}", ["GET", "HEAD"], (HttpContext ctx, string name) => Serve(ctx, index.FindByName(name)));
        _app.MapGet("/health", () => Results.Text("ok\n"));
        var page = new VerifierPage();
        _app.MapMethods("/", ["GET", "HEAD"], (HttpContext ctx) => page.Serve(ctx, "index.html"));
        foreach (string file in page.Files.Where(f => f != "index.html"))
            _app.MapMethods("/" + file, ["GET", "HEAD"], (HttpContext ctx) => page.Serve(ctx, file));
        _app.MapPost("/verify", _verify.HandleAsync);
    }

    /// <summary>The addresses Kestrel bound (with the real port when 0 was asked for); valid after <see cref="StartAsync"/>.</summary>
    public ICollection<string> Urls => _app.Urls;

    /// <summary>Binds and starts; an address that cannot be bound is an <see cref="ErrorCode.IoFailed"/> error naming it.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        try
        {
            await _app.StartAsync(ct).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            string why = e.InnerException is AddressInUseException ? "address in use" : PrintableText.Escape((e.InnerException ?? e).Message.Split('\n')[0]);
            throw new LabelStampException(ErrorCode.IoFailed, $"cannot listen on {_listen}: {why}", e);
        }
    }

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
        _verify.Dispose();
    }
}
