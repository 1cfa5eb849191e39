using System.CommandLine;
using System.Globalization;
using LabelStamp.Cli.Composition;
using LabelStamp.Errors;
using LabelStamp.Worker;
using Microsoft.Extensions.Hosting;

namespace LabelStamp.Cli.Commands;

/// <summary><c>labelstamp run</c>: the Kafka worker (spec §7, §9). Flags override LABELSTAMP__… and appsettings.json.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var bootstrap = new Option<string?>("--bootstrap") { Description = "Kafka bootstrap servers, host:port[,host:port] (Worker:BootstrapServers)" };
        var group = new Option<string?>("--group") { Description = "Consumer group (default labelstamp)" };
        var input = new Option<string?>("--input-topic", "--input") { Description = "Input topic (default labelstamp.generated)" };
        var output = new Option<string?>("--output-topic", "--output") { Description = "Output topic (default labelstamp.labeled)" };
        var dlq = new Option<string?>("--dlq") { Description = "Dead-letter topic (default labelstamp.dlq)" };
        var store = CommonOptions.Store("Claim-check store for large inputs and outputs, file:///dir");
        var parallelism = CommonOptions.OptionalParallelism("Items labeled at once (default: the number of cores)", "--parallelism");
        var delivery = CommonOptions.OptionalChoice("--delivery", "At-least-once (default) or exactly-once (Kafka transactions)", ["at-least-once", "exactly-once"]);
        var metricsPort = new Option<int?>("--metrics-port") { Description = "Port for /metrics and /health (default 0 = off)" };
        var keyFile = CommonOptions.KeyFile("Watermark key file (Labels:KeyFile); default $LABELSTAMP_MARK_KEY or $LABELSTAMP_MARK_KEY_FILE. A worker never creates a key");
        var producer = CommonOptions.Producer("ContentProducer code for messages without an ls-producer header");
        var workerId = new Option<string?>("--worker-id") { Description = "Name written to ls-worker of dead letters (default host-pid)" };
        var sessionTimeout = new Option<int?>("--session-timeout-ms") { Description = "Kafka group session timeout in ms (default 45000)" };
        var inlineLimit = new Option<int?>("--inline-limit") { Description = "Outputs above this many bytes go to the store, sent as ls-ref (default 1048576)" };
        var mode = CommonOptions.OptionalChoice("--mode", "Provider (default: label as the generator) or platform (keep labels found, add the propagator's fields; docs/platform.md)", ["provider", "platform"]);
        var propagator = CommonOptions.Propagator("Platform mode: our ContentPropagator code (Worker:Propagator)");

        var command = new Command("run", "Run the Kafka labeling worker until Ctrl-C or SIGTERM (settings: appsettings.json, then LABELSTAMP__… variables, then these flags; docs/worker.md)");
        foreach (var o in new Option[] { bootstrap, group, input, output, dlq, store, parallelism, delivery, metricsPort, keyFile, producer, workerId, sessionTimeout, inlineLimit, mode, propagator })
            command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var flags = new Dictionary<string, string?>();
            void Set(string key, string? value) { if (value is not null) flags[key] = value; }
            string? Int(int? v) => v?.ToString(CultureInfo.InvariantCulture);
            Set("Worker:BootstrapServers", parse.GetValue(bootstrap));
            Set("Worker:GroupId", parse.GetValue(group));
            Set("Worker:InputTopic", parse.GetValue(input));
            Set("Worker:OutputTopic", parse.GetValue(output));
            Set("Worker:DeadLetterTopic", parse.GetValue(dlq));
            Set("Worker:Store", parse.GetValue(store));
            Set("Worker:MaxParallelism", Int(parse.GetValue(parallelism)));
            Set("Worker:Delivery", parse.GetValue(delivery)?.Replace("-", "", StringComparison.Ordinal));
            Set("Worker:MetricsPort", Int(parse.GetValue(metricsPort)));
            Set("Worker:DefaultProducer", parse.GetValue(producer));
            Set("Worker:WorkerId", parse.GetValue(workerId));
            Set("Worker:SessionTimeoutMs", Int(parse.GetValue(sessionTimeout)));
            Set("Worker:InlineLimitBytes", Int(parse.GetValue(inlineLimit)));
            Set("Labels:KeyFile", parse.GetValue(keyFile));
            Set("Worker:Mode", parse.GetValue(mode));
            Set("Worker:Propagator", parse.GetValue(propagator));
            try
            {
                Microsoft.Extensions.Hosting.IHost created;
                try { created = WorkerHost.Create(flags, StamperComposer.Create, createPropagator: StamperComposer.CreatePropagator); }
                catch (InvalidOperationException e) // a setting of the wrong type in appsettings.json or LABELSTAMP__…, e.g. Worker:Mode=bogus
                {
                    throw new LabelStampException(ErrorCode.InvalidArgument, "worker configuration: " + e.Message.Split('\n')[0], e);
                }
                using var host = created;
                await host.RunAsync(ct);
                return Environment.ExitCode;
            }
            catch (LabelStampException ex)
            {
                await System.Console.Error.WriteLineAsync(Console.ErrorLine.Format(ex.CodeText, ex.Message));
                return 2;
            }
        });
        return command;
    }
}
