using System.Diagnostics;
using System.Globalization;
using LabelStamp.Cli.Composition;
using LabelStamp.Labels;
using LabelStamp.Provenance;
using LabelStamp.Pipeline;
using LabelStamp.Worker;
using LabelStamp.Worker.Broker;
using LabelStamp.Worker.Configuration;
using LabelStamp.Worker.Contract;
using LabelStamp.Worker.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace LabelStamp.Cli.Demo;

/// <summary>
/// The whole pipeline on one machine: embedded broker, generator, workers (in-process hosts or
/// <c>labelstamp run</c> processes) and a checker that verifies every output; prints progress,
/// throughput and a final table, and leaves the labeled files in a directory.
/// </summary>
public sealed class DemoRunner
{
    private readonly DemoSettings _settings;
    private readonly TextWriter _out;

    public DemoRunner(DemoSettings settings, TextWriter output)
    {
        _settings = settings;
        _out = output;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var topics = new WorkerOptions();
        string outDir = Path.GetFullPath(_settings.OutputDirectory);
        string labeledDir = Path.Combine(outDir, "labeled");
        // Each run starts fresh: the table and the output count describe this run only. Only the two
        // folders the demo itself writes are cleared, never anything else under --out.
        bool cleared = false;
        foreach (string owned in new[] { labeledDir, Path.Combine(outDir, "store") })
            if (Directory.Exists(owned)) { Directory.Delete(owned, recursive: true); cleared = true; }
        if (cleared) await _out.WriteLineAsync($"demo: removed the previous run's labeled/ and store/ under {outDir}");
        Directory.CreateDirectory(labeledDir);
        var store = new FileClaimCheckStore(Path.Combine(outDir, "store"));
        // A key for this run only, never written anywhere: the demo's outputs are not meant to be kept.
        string keyText = MarkKey.GenerateText();
        await _out.WriteLineAsync($"demo: a new watermark key for this run only (key {MarkKey.FromText(keyText, "demo").KeyId}, kept in memory)");
        string chainDir = SigningCredentialSource.DevelopmentDirectory;
        bool chainExists = File.Exists(Path.Combine(chainDir, "signer.pem")) && File.Exists(Path.Combine(chainDir, "signer.key"));
        await _out.WriteLineAsync(chainExists
            ? $"demo: C2PA signed with the development test chain in {chainDir}"
            : $"demo: C2PA signed with a development test chain created now in {chainDir} (no validator trusts it; production sets a real chain)");

        var inputs = SampleSet.FromDirectory(_settings.SamplesDirectory, _settings.Repeat).ToList();
        if (inputs.Count == 0) { await _out.WriteLineAsync($"no samples under {_settings.SamplesDirectory}"); return 2; }
        if (_settings.IncludeHostile) inputs.AddRange(SampleSet.Hostile(inputs.First(i => i.Name.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase)).Bytes));
        long totalBytes = inputs.Sum(i => (long)i.Bytes.Length);

        using var broker = new EmbeddedBroker();
        broker.CreateTopic(topics.InputTopic, Math.Max(_settings.Partitions, _settings.Workers));
        broker.CreateTopic(topics.OutputTopic, _settings.Partitions);
        broker.CreateTopic(topics.DeadLetterTopic, 1);
        await _out.WriteLineAsync($"embedded broker {broker.BootstrapServers}; {inputs.Count} inputs ({totalBytes / 1e6:0.0} MB), {_settings.Workers} worker {(_settings.Processes ? "processes" : "hosts in this process")}");

        var flags = new Dictionary<string, string?>
        {
            ["Worker:BootstrapServers"] = broker.BootstrapServers,
            ["Worker:Store"] = new Uri(store.Root + "/").AbsoluteUri,
            ["Worker:InlineLimitBytes"] = _settings.InlineLimit.ToString(CultureInfo.InvariantCulture),
            ["Worker:SessionTimeoutMs"] = "6000",
            ["Worker:DefaultProducer"] = _settings.Producer,
            ["Labels:Key"] = keyText,
            ["C2pa:Development"] = "true", // the demo signs with the local test chain (~/.config/labelstamp/c2pa)
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var workers = new List<IDisposable>();
        var hosts = new List<IHost>();
        using var stopWorkers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = new List<Task>();
        try
        {
            for (int w = 0; w < _settings.Workers; w++)
            {
                if (_settings.Processes)
                {
                    var env = flags.Where(f => f.Value is not null).ToDictionary(f => "LABELSTAMP__" + f.Key.Replace(":", "__", StringComparison.Ordinal), f => f.Value!);
                    env["LABELSTAMP__Worker__WorkerId"] = $"demo-worker-{w}";
                    workers.Add(WorkerProcess.Start([], env, Path.Combine(outDir, $"worker-{w}.log")));
                }
                else
                {
                    var host = WorkerHost.Create(new Dictionary<string, string?>(flags) { ["Worker:WorkerId"] = $"demo-worker-{w}" }, StamperComposer.Create);
                    hosts.Add(host);
                    running.Add(host.RunAsync(stopWorkers.Token));
                }
            }

            using var publisher = new InputPublisher(broker.BootstrapServers, store.Area(FileClaimCheckStore.InputsArea), _settings.InlineLimit, _settings.Producer);
            if (_settings.Bench)
                await WarmUpAsync(publisher, broker.BootstrapServers, topics, inputs, cancellationToken);
            // With --bench --rounds N, Kafka and file-path rounds alternate, so load drifting on a shared
            // machine moves both sides of each ratio alike; the median ratio is the figure to quote.
            int rounds = _settings.Bench ? Math.Max(1, _settings.Rounds) : 1;
            int failures = 0;
            var ratios = new List<double>();
            for (int round = 1; round <= rounds; round++)
            {
                var batch = rounds == 1 ? inputs : inputs.Select(i => i with { ContentId = $"r{round}-{i.ContentId}" }).ToList();
                if (rounds > 1) await _out.WriteLineAsync($"round {round}/{rounds}");
                var (filesPerSecond, roundFailures) = await KafkaRoundAsync(batch, publisher, broker.BootstrapServers, topics, store, labeledDir, print: round == 1, cancellationToken);
                failures += roundFailures;
                if (_settings.Bench)
                    ratios.Add(await BenchFilePathAsync(batch.Where(i => i.Hostile is null).ToList(), batch.Count, keyText, filesPerSecond, cancellationToken));
            }
            if (ratios.Count > 1)
                await _out.WriteLineAsync($"bench: ratios {string.Join(" ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))}; median {Median(ratios):0.00} over {ratios.Count} alternating rounds");
            await _out.WriteLineAsync($"outputs in {labeledDir}; store in {store.Root}");
            return failures == 0 ? 0 : 1;
        }
        finally
        {
            stopWorkers.Cancel();
            foreach (var w in workers) w.Dispose();
            try { await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None); }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException) { }
            foreach (var h in hosts) h.Dispose();
        }
    }

    /// <summary>Publishes one batch and times it until every item has an output or a dead letter; then checks them.</summary>
    private async Task<(double FilesPerSecond, int Failures)> KafkaRoundAsync(IReadOnlyList<SampleInput> inputs, InputPublisher publisher, string bootstrapServers,
        WorkerOptions topics, IClaimCheckStore store, string labeledDir, bool print, CancellationToken cancellationToken)
    {
        var expected = inputs.Where(i => !i.OmitContentId).Select(i => i.ContentId).ToHashSet();
        // The checker joins its group while the batch is published, not after (its start-up is not throughput).
        using var collector = new OutputCollector(bootstrapServers, topics.OutputTopic, topics.DeadLetterTopic);
        var clock = Stopwatch.StartNew();
        foreach (var input in inputs)
            await publisher.PublishAsync(topics.InputTopic, input, cancellationToken);

        bool interactive = ReferenceEquals(_out, System.Console.Out) && !System.Console.IsOutputRedirected;
        double nextPlainLine = 0;
        bool complete = collector.CollectUntil(expected, _settings.Timeout, c =>
        {
            double s = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
            int accounted = expected.Count(c.Accounted.Contains);
            string line = $"  {accounted}/{inputs.Count} accounted, {accounted / s:0.0} files/s";
            // A terminal gets one live line; a pipe or CI log gets a plain line every 5 s instead of carriage-return noise.
            if (interactive) _out.Write("\r" + line + "   ");
            else if (s >= nextPlainLine) { _out.WriteLine(line); nextPlainLine = s + 5; }
        }, cancellationToken);
        double seconds = clock.Elapsed.TotalSeconds;
        collector.Drain(TimeSpan.FromSeconds(1));
        if (interactive) await _out.WriteLineAsync();

        int failures = await ReportAsync(inputs, collector, store, labeledDir, print, cancellationToken);
        long validBytes = inputs.Where(i => i.Hostile is null).Sum(i => (long)i.Bytes.Length);
        int counted = expected.Count(collector.Accounted.Contains) + (inputs.Any(i => i.OmitContentId) ? 1 : 0);
        double filesPerSecond = counted / seconds;
        await _out.WriteLineAsync($"end to end: {counted} items in {seconds:0.00}s = {filesPerSecond:0.0} files/s, {validBytes / 1e6 / seconds:0.0} MB/s of media");
        if (!complete) { await _out.WriteLineAsync($"INCOMPLETE: {expected.Except(collector.Accounted).Count()} inputs unaccounted after {_settings.Timeout}"); failures++; }
        return (filesPerSecond, failures);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>Checks every output and dead letter of the batch; prints the table when asked (the first round).</summary>
    private async Task<int> ReportAsync(IReadOnlyList<SampleInput> inputs, OutputCollector collector, IClaimCheckStore store, string labeledDir, bool print, CancellationToken cancellationToken)
    {
        int failures = 0;
        if (print) await _out.WriteLineAsync($"{"content id",-28} {"expected",-9} {"result",-13} {"in bytes",10} {"out bytes",10}  detail");
        foreach (var input in inputs)
        {
            var records = collector.Records.Where(r => r.ContentId == input.ContentId).ToList();
            string expected = input.Hostile is null ? "labeled" : "dlq";
            string result, detail;
            string outBytes = "-";
            if (input.OmitContentId)
            {
                var letter = collector.Records.FirstOrDefault(r => r.IsDeadLetter && r.ContentId.Length == 0);
                result = letter is null ? "missing" : "dlq";
                detail = letter is null ? "" : $"{letter.Header(KafkaHeaders.ErrorCode)} {letter.Header(KafkaHeaders.Error)}";
            }
            else if (records.Count == 0) { result = "missing"; detail = ""; }
            else if (records.Any(r => !r.IsDeadLetter))
            {
                var labeled = records.Where(r => !r.IsDeadLetter).ToList();
                var (bytes, problem) = await LabeledOutputCheck.CheckAsync(labeled[0], store, cancellationToken);
                bool sameEverywhere = labeled.All(r => r.Header(KafkaHeaders.Sha256) == labeled[0].Header(KafkaHeaders.Sha256) && r.Header(KafkaHeaders.Aigc) == labeled[0].Header(KafkaHeaders.Aigc));
                result = problem is null && sameEverywhere ? "labeled" : "BAD OUTPUT";
                detail = problem ?? (sameEverywhere ? $"layers {labeled[0].Header(KafkaHeaders.Layers)}; {labeled[0].Header(KafkaHeaders.Timings)}" : "duplicates differ");
                if (labeled.Count > 1)
                    detail += sameEverywhere ? $" ({labeled.Count} copies, identical)"
                        : $" ({labeled.Count} copies, {labeled.Select(r => r.Header(KafkaHeaders.Sha256)).Distinct().Count()} different SHA-256)";
                if (bytes is not null) outBytes = bytes.Length.ToString(CultureInfo.InvariantCulture);
                if (bytes is not null)
                    await File.WriteAllBytesAsync(Path.Combine(labeledDir, FileClaimCheckStore.ObjectName(input.ContentId, bytes, Path.GetExtension(input.Name))), bytes, cancellationToken);
            }
            else
            {
                result = "dlq";
                detail = $"{records[0].Header(KafkaHeaders.ErrorCode)} {records[0].Header(KafkaHeaders.Error)}";
            }
            if (result != expected) failures++;
            string shown = result != expected && result is "labeled" or "dlq" ? result + " (!)" : result;
            if (print) await _out.WriteLineAsync($"{Truncate(input.ContentId, 28),-28} {expected,-9} {shown,-13} {input.Bytes.Length,10} {outBytes,10}  {Truncate(detail, 110)}");
        }
        return failures;
    }

    /// <summary>
    /// Timing starts only once every worker has joined the group and labeled something: process start,
    /// JIT and the group's first rebalance are start-up costs, not throughput.
    /// </summary>
    private async Task WarmUpAsync(InputPublisher publisher, string bootstrapServers, WorkerOptions topics, IReadOnlyList<SampleInput> inputs, CancellationToken cancellationToken)
    {
        var smallest = inputs.Where(i => i.Hostile is null).MinBy(i => i.Bytes.Length)!;
        var warm = Enumerable.Range(0, Math.Max(_settings.Partitions, _settings.Workers) * 2)
            .Select(n => smallest with { ContentId = $"warmup-{n:D2}" }).ToList();
        var clock = Stopwatch.StartNew();
        foreach (var w in warm) await publisher.PublishAsync(topics.InputTopic, w, cancellationToken);
        using var collector = new OutputCollector(bootstrapServers, topics.OutputTopic, topics.DeadLetterTopic);
        collector.CollectUntil(warm.Select(w => w.ContentId).ToHashSet(), _settings.Timeout, cancellationToken: cancellationToken);
        await _out.WriteLineAsync($"warm-up: {warm.Count} items in {clock.Elapsed.TotalSeconds:0.0}s (workers started and joined)");
    }

    /// <summary>The same valid files through the Stamper directly, as parallel as the workers: the ceiling Kafka is measured against.</summary>
    private async Task<double> BenchFilePathAsync(IReadOnlyList<SampleInput> valid, int published, string keyText, double kafkaFilesPerSecond, CancellationToken cancellationToken)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Labels:Key"] = keyText, ["C2pa:Development"] = "true" }).Build();
        Stamper stamper = StamperComposer.Create(config);
        var policy = new LabelPolicy();
        var clock = Stopwatch.StartNew();
        int failed = 0;
        await Parallel.ForEachAsync(valid, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, async (input, ct) =>
        {
            try { await stamper.StampAsync(input.Bytes, input.ContentId, new StampRequest(input.ContentId, _settings.Producer, policy), ct); }
            catch (LabelStamp.Errors.LabelStampException) { Interlocked.Increment(ref failed); }
        });
        double direct = valid.Count / clock.Elapsed.TotalSeconds;
        // Kafka's rate counts dead letters too; scale it to the valid files the file path labels.
        double kafkaValidOnly = kafkaFilesPerSecond * valid.Count / published;
        await _out.WriteLineAsync($"bench: file path (Stamper, {Environment.ProcessorCount} parallel) {direct:0.0} files/s ({failed} failed); kafka end to end ≈ {kafkaValidOnly:0.0} valid files/s; ratio {kafkaValidOnly / direct:0.00}");
        return kafkaValidOnly / direct;
    }

    private static string Truncate(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
