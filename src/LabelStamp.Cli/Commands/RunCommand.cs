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
        var bootstrap = new Option<string?>("--bootstrap") { Description = "Kafka bootstrap servers (Worker:BootstrapServers)" };
        var group = new Option<string?>("--group") { Description = "consumer group (default labelstamp)" };
        var input = new Option<string?>("--input") { Description = "input topic (default labelstamp.generated)" };
        var output = new Option<string?>("--output") { Description = "output topic (default labelstamp.labeled)" };
        var dlq = new Option<string?>("--dlq") { Description = "dead-letter topic (default labelstamp.dlq)" };
        var store = new Option<string?>("--store") { Description = "claim-check store, file:///dir" };
        var parallelism = new Option<int?>("--parallelism") { Description = "items labeled at once (default: cores)" };
        var delivery = new Option<string?>("--delivery") { Description = "at-least-once (default) or exactly-once" };
        var metricsPort = new Option<int?>("--metrics-port") { Description = "port for /metrics and /health (0 = off)" };
        var keyFile = new Option<string?>("--key-file") { Description = "watermark key file (Labels:KeyFile)" };
        var producer = new Option<string?>("--producer") { Description = "default ContentProducer code when ls-producer is absent" };
        var workerId = new Option<string?>("--worker-id") { Description = "name written to ls-worker (default host-pid)" };
        var sessionTimeout = new Option<int?>("--session-timeout-ms") { Description = "Kafka group session timeout" };
        var inlineLimit = new Option<int?>("--inline-limit") { Description = "outputs above this many bytes go to the store (default 1 MiB)" };
        var mode = new Option<string?>("--mode") { Description = "provider (default) or platform (spec §8, docs/platform.md)" };
        var propagator = new Option<string?>("--propagator") { Description = "platform mode: our ContentPropagator code (Worker:Propagator)" };

        var command = new Command("run", "run the Kafka labeling worker until Ctrl-C / SIGTERM");
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
                using var host = WorkerHost.Create(flags, StamperComposer.Create, createPropagator: StamperComposer.CreatePropagator);
                await host.RunAsync(ct);
                return Environment.ExitCode;
            }
            catch (LabelStampException ex)
            {
                await System.Console.Error.WriteLineAsync($"labelstamp run: {ex.CodeText} {ex.Message}");
                return 2;
            }
        });
        return command;
    }
}
