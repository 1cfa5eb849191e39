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
        var listen = new Option<string?>("--listen") { Description = "address to bind (default http://127.0.0.1:8080; port 0 picks a free one)" };
        var store = new Option<string?>("--store") { Description = "claim-check store to serve, file:///dir (Origin:Store)" };
        var maxUpload = new Option<long?>("--max-upload") { Description = "largest POST /verify upload in bytes (default 64 MiB)" };
        var burst = new Option<int?>("--verify-burst") { Description = "POST /verify token bucket per client address: burst (default 10)" };
        var perMinute = new Option<int?>("--verify-per-minute") { Description = "POST /verify refill per minute (default 30)" };
        var proxies = new Option<string?>("--trusted-proxies") { Description = "comma list of reverse proxies (IPs or CIDR) whose X-Forwarded-For names the client for rate limiting (default: none, header ignored)" };
        var keyFile = CommonOptions.KeyFile();
        var command = new Command("serve", "HTTP origin for the CDN over the store (GET/HEAD /media/ID, /objects/NAME) and free detection (POST /verify)");
        foreach (var o in new Option[] { listen, store, maxUpload, burst, perMinute, proxies, keyFile }) command.Options.Add(o);
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
                string[] trusted = parse.GetValue(proxies)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
                for (int i = 0; i < trusted.Length; i++) Set($"TrustedProxies:{i}", trusted[i]);
                var configuration = new ConfigurationBuilder()
                    .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
                    .AddEnvironmentVariables("LABELSTAMP__")
                    .AddInMemoryCollection(flags)
                    .Build();
                var options = (configuration.GetSection(OriginOptions.Section).Get<OriginOptions>() ?? new OriginOptions()).Validate();
                // Without a key the watermark row says "not checked"; the other layers are still reported.
                var key = parse.GetValue(keyFile) is { } file ? MarkKeySource.Resolve(file, createDevelopmentKey: false)?.Key : StamperComposer.OptionalKey(configuration);
                var verifyOptions = new VerifyOptions { Key = key };
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
                System.Console.Error.WriteLine(ErrorLine.Format(LabelStampException.Format(ErrorCode.IoFailed), "serve: cannot bind: " + e.Message));
                return 2;
            }
        });
        return command;
    }
}
