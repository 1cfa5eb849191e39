using System.CommandLine;
using System.Globalization;
using LabelStamp.Cli.Console;
using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Pipeline;
using LabelStamp.Verification;
using LabelStamp.Cli.Composition;
using LabelStamp.Worker.Origin;
using Microsoft.Extensions.Configuration;

namespace LabelStamp.Cli.Commands;

/// <summary>`labelstamp serve`: the HTTP origin over the store plus POST /verify (docs/platform.md).
/// Settings: appsettings.json section Origin → LABELSTAMP__Origin__… → flags.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var listen = new Option<string?>("--listen") { Description = "Address to bind (default http://127.0.0.1:8080; port 0 picks a free one)" };
        var store = CommonOptions.Store("Claim-check store to serve, file:///dir (Origin:Store)");
        var maxUpload = new Option<long?>("--max-upload") { Description = "Largest POST /verify upload in bytes (default 64 MiB)" };
        var burst = new Option<int?>("--verify-burst") { Description = "POST /verify token bucket per client address: burst (default 10)" };
        var perMinute = new Option<int?>("--verify-per-minute") { Description = "POST /verify refill per minute (default 30)" };
        var inFlight = new Option<long?>("--max-upload-in-flight") { Description = "Upload bytes all POST /verify requests may buffer together; beyond: 503 + Retry-After (default 4 × --max-upload)" };
        var concurrency = CommonOptions.OptionalParallelism("Verifications running at once (default: the number of cores)", "--verify-concurrency");
        var queue = new Option<int?>("--verify-queue") { Description = "Uploads waiting for a verification slot; beyond: 503 + Retry-After (default 8)" };
        var timeout = new Option<int?>("--verify-timeout") { Description = "Seconds from upload to answer: waiting past it 503, verifying past it 422 LS112 (default 60)" };
        var proxies = new Option<string?>("--trusted-proxies") { Description = "Comma list of reverse proxies (IPs or CIDR) whose X-Forwarded-For names the client for rate limiting (default: none, header ignored)" };
        var keyFile = CommonOptions.KeyFile();
        var command = new Command("serve", "HTTP origin for the CDN over the store (GET/HEAD /media/ID, /objects/NAME) and free detection (POST /verify)");
        foreach (var o in new Option[] { listen, store, maxUpload, inFlight, burst, perMinute, concurrency, queue, timeout, proxies, keyFile }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var flags = new Dictionary<string, string?>();
                void Set(string k, string? v) { if (v is not null) flags["Origin:" + k] = v; }
                Set("Listen", parse.GetValue(listen));
                Set("Store", parse.GetValue(store));
                Set("MaxUploadBytes", parse.GetValue(maxUpload)?.ToString(CultureInfo.InvariantCulture));
                Set("VerifyBurst", parse.GetValue(burst)?.ToString(CultureInfo.InvariantCulture));
                Set("VerifyPerMinute", parse.GetValue(perMinute)?.ToString(CultureInfo.InvariantCulture));
                Set("MaxUploadBytesInFlight", parse.GetValue(inFlight)?.ToString(CultureInfo.InvariantCulture));
                Set("VerifyConcurrency", parse.GetValue(concurrency)?.ToString(CultureInfo.InvariantCulture));
                Set("VerifyQueue", parse.GetValue(queue)?.ToString(CultureInfo.InvariantCulture));
                Set("VerifyTimeout", parse.GetValue(timeout) is int seconds ? TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture) : null);
                string[] trusted = parse.GetValue(proxies)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
                for (int i = 0; i < trusted.Length; i++) Set($"TrustedProxies:{i}", trusted[i]);
                var configuration = new ConfigurationBuilder()
                    .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
                    .AddEnvironmentVariables("LABELSTAMP__")
                    .AddInMemoryCollection(flags)
                    .Build();
                OriginOptions? bound;
                try { bound = configuration.GetSection(OriginOptions.Section).Get<OriginOptions>(); }
                catch (InvalidOperationException e) // a value of the wrong type, e.g. VerifyQueue=many
                {
                    throw new LabelStampException(ErrorCode.InvalidArgument, "serve configuration: " + e.Message.Split('\n')[0], e);
                }
                var options = (bound ?? new OriginOptions()).Validate();
                // Without a key the watermark row says "not checked"; the other layers are still reported.
                var key = parse.GetValue(keyFile) is { } file ? MarkKeySource.Resolve(file, createDevelopmentKey: false)?.Key : StamperComposer.OptionalKey(configuration);
                // C2pa:TrustAnchors (LABELSTAMP__C2pa__TrustAnchors) or $LABELSTAMP_TRUST_ANCHORS: signer trust in each report.
                var verifyOptions = new VerifyOptions { Key = key, TrustAnchors = StamperComposer.Anchors(configuration.GetSection("C2pa")) };
                await using var server = new OriginServer(options, new MediaCatalog().CreateVerifier(), verifyOptions);
                await server.StartAsync(ct).ConfigureAwait(false);
                // One parseable line: tests and scripts read the bound address (port 0 → the real port).
                System.Console.Out.WriteLine($"labelstamp serve: listening on {string.Join(' ', server.Urls)}, store {options.Store}, watermark key {(key is null ? "none" : key.KeyId)}");
                System.Console.Out.Flush();
                await server.WaitForShutdownAsync(ct).ConfigureAwait(false);
                return 0;
            }
            catch (LabelStampException e)
            {
                System.Console.Error.WriteLine(ErrorLine.Format(e.CodeText, e.Message));
                return 2;
            }
            catch (IOException e)
            {
                // The key file or appsettings.json unreadable (binding failures arrive as LabelStampException).
                System.Console.Error.WriteLine(ErrorLine.Format(LabelStampException.Format(ErrorCode.IoFailed), "serve: " + PrintableText.Escape(e.Message.Split('\n')[0])));
                return 2;
            }
        });
        return command;
    }
}
