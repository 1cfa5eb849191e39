using System.Globalization;
using Confluent.Kafka;
using LabelStamp.Cli.Demo;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Pipeline;
using LabelStamp.Worker.Broker;
using LabelStamp.Worker.Configuration;
using LabelStamp.Worker.Contract;
using LabelStamp.Worker.Store;

namespace LabelStamp.Worker.Tests.Support;

/// <summary>
/// One test's world: an embedded broker over TCP, a store directory, and `labelstamp run` worker
/// processes sharing a key. Disposing kills every process it started and deletes the directory.
/// </summary>
public sealed class PipelineRig : IDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private static readonly MediaCatalog Catalog = new();

    private readonly List<WorkerProcess> _workers = [];
    private readonly string _keyText = MarkKey.GenerateText();

    public PipelineRig(int inputPartitions = 4)
    {
        Key = MarkKey.FromText(_keyText, "test");
        Directory = Path.Combine(Path.GetTempPath(), "ls-worker-test-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);
        Store = new FileClaimCheckStore(Path.Combine(Directory, "store"));
        Broker = new EmbeddedBroker();
        Broker.CreateTopic(Topics.InputTopic, inputPartitions);
        Broker.CreateTopic(Topics.OutputTopic, 2);
        Broker.CreateTopic(Topics.DeadLetterTopic, 1);
    }

    public WorkerOptions Topics { get; } = new();

    /// <summary>The watermark key every worker of this rig runs with.</summary>
    public MarkKey Key { get; }
    public string Directory { get; }
    public FileClaimCheckStore Store { get; }
    public EmbeddedBroker Broker { get; }

    /// <summary>Small: the mock keeps little log per partition, so test media travels by reference.</summary>
    public const int InlineLimit = 64 << 10;

    /// <summary>Starts a worker process. C2PA is off unless asked for (the crash test asks: replayed outputs must be
    /// byte-identical with a signed manifest too, whose nonce and label are derived, not drawn).
    /// <paramref name="settings"/>: further LABELSTAMP__… environment settings.</summary>
    public WorkerProcess StartWorker(string workerId, int parallelism = 1, int metricsPort = 0, DeliveryMode delivery = DeliveryMode.AtLeastOnce, bool c2pa = false, int maxInFlightRequests = 5,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var env = new Dictionary<string, string>
        {
            ["LABELSTAMP__Worker__BootstrapServers"] = Broker.BootstrapServers,
            ["LABELSTAMP__Worker__Store"] = new Uri(Store.Root + "/").AbsoluteUri,
            ["LABELSTAMP__Worker__InlineLimitBytes"] = InlineLimit.ToString(CultureInfo.InvariantCulture),
            ["LABELSTAMP__Worker__SessionTimeoutMs"] = "6000",
            ["LABELSTAMP__Worker__MaxParallelism"] = parallelism.ToString(CultureInfo.InvariantCulture),
            ["LABELSTAMP__Worker__DefaultProducer"] = "LabelStampTest",
            ["LABELSTAMP__Worker__WorkerId"] = workerId,
            ["LABELSTAMP__Labels__Key"] = _keyText,
            ["LABELSTAMP__Logging__LogLevel__LabelStamp"] = "Debug",
            ["LABELSTAMP__Worker__MetricsPort"] = metricsPort.ToString(CultureInfo.InvariantCulture),
            ["LABELSTAMP__Worker__Delivery"] = delivery.ToString(),
            ["LABELSTAMP__Worker__MaxInFlightRequests"] = maxInFlightRequests.ToString(CultureInfo.InvariantCulture),
            ["LABELSTAMP__C2pa__Enabled"] = c2pa ? "true" : "false",
            ["LABELSTAMP__C2pa__Development"] = "true",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) env[k] = v;
        var worker = WorkerProcess.Start([], env, Path.Combine(Directory, workerId + ".log"));
        _workers.Add(worker);
        return worker;
    }

    public async Task PublishAsync(IEnumerable<SampleInput> inputs)
    {
        using var publisher = new InputPublisher(Broker.BootstrapServers, Store.Area(FileClaimCheckStore.InputsArea), InlineLimit, "LabelStampTest");
        using var timeout = new CancellationTokenSource(Patience);
        foreach (var input in inputs)
            await publisher.PublishAsync(Topics.InputTopic, input, timeout.Token);
    }

    public OutputCollector Collector() => new(Broker.BootstrapServers, Topics.OutputTopic, Topics.DeadLetterTopic);

    public static string SamplesDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (System.IO.Directory.Exists(Path.Combine(dir.FullName, "samples-media")))
                    return Path.Combine(dir.FullName, "samples-media");
            throw new DirectoryNotFoundException("samples-media not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The samples of one kind (images by default: the delivery tests are about Kafka, and images keep
    /// them fast), renamed per batch so every input has its own content ID.</summary>
    public static List<SampleInput> Samples(string batch, int repeat, string kind = "images") =>
        SampleSet.FromDirectory(Path.Combine(SamplesDirectory, kind), repeat).Select(s => s with { ContentId = batch + "-" + s.ContentId }).ToList();

    /// <summary>Labeled when this build has a labeler for the bytes, otherwise a dead letter with the reason.</summary>
    public static bool ExpectLabeled(SampleInput input) =>
        input.Hostile is null && MediaSniffer.TrySniff(input.Bytes) is { } format && Catalog.Labelers.Any(l => l.Handles(format));

    /// <summary>
    /// Every input has an output or a dead letter (not both); all copies of one item are identical;
    /// outputs pass the independent check; the expected ones were labeled. Returns a failure list.
    /// </summary>
    public async Task<List<string>> AuditAsync(IReadOnlyList<SampleInput> inputs, OutputCollector collector)
    {
        var problems = new List<string>();
        foreach (var input in inputs.Where(i => !i.OmitContentId))
        {
            var records = collector.Records.Where(r => r.ContentId == input.ContentId).ToList();
            if (records.Count == 0) { problems.Add($"{input.ContentId}: lost (no output, no dead letter)"); continue; }
            var labeled = records.Where(r => !r.IsDeadLetter).ToList();
            var dead = records.Where(r => r.IsDeadLetter).ToList();
            if (labeled.Count > 0 && dead.Count > 0) problems.Add($"{input.ContentId}: both labeled and dead-lettered");
            if (ExpectLabeled(input) != (labeled.Count > 0))
                problems.Add($"{input.ContentId}: expected {(ExpectLabeled(input) ? "labeled" : "dead letter")}, got {(labeled.Count > 0 ? "labeled" : dead[0].Header(KafkaHeaders.ErrorCode) + " " + dead[0].Header(KafkaHeaders.Error))}");
            foreach (var r in labeled)
            {
                if (r.Header(KafkaHeaders.Sha256) != labeled[0].Header(KafkaHeaders.Sha256) || r.Header(KafkaHeaders.Aigc) != labeled[0].Header(KafkaHeaders.Aigc)
                    || r.Header(KafkaHeaders.MarkId) != labeled[0].Header(KafkaHeaders.MarkId) || r.Header(KafkaHeaders.Reference) != labeled[0].Header(KafkaHeaders.Reference))
                    problems.Add($"{input.ContentId}: duplicate outputs differ");
                var (_, problem) = await LabeledOutputCheck.CheckAsync(r, Store, CancellationToken.None);
                if (problem is not null) problems.Add($"{input.ContentId}: {problem}");
            }
            foreach (var d in dead)
            {
                if (d.Header(KafkaHeaders.ErrorCode) is not { Length: 5 } code || !code.StartsWith("LS", StringComparison.Ordinal)) problems.Add($"{input.ContentId}: dead letter without ls-error-code");
                if (string.IsNullOrEmpty(d.Header(KafkaHeaders.Error)) || d.Header(KafkaHeaders.SourceOffset) is null || d.Header(KafkaHeaders.Worker) is null)
                    problems.Add($"{input.ContentId}: dead letter lacks ls-error / source / worker");
                if (d.Header(KafkaHeaders.Reference) is null && !d.Value.AsSpan().SequenceEqual(input.Bytes))
                    problems.Add($"{input.ContentId}: dead letter does not carry the original value");
                if (d.Header(KafkaHeaders.ErrorCode) != dead[0].Header(KafkaHeaders.ErrorCode)) problems.Add($"{input.ContentId}: duplicate dead letters differ");
            }
        }
        return problems;
    }

    /// <summary>The end offset (high watermark) per input partition.</summary>
    public List<long> EndOffsets(int partitions)
    {
        using var reader = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = Broker.BootstrapServers, GroupId = "labelstamp-offsets-" + Guid.NewGuid().ToString("N") }).Build();
        return Enumerable.Range(0, partitions)
            .Select(p => reader.QueryWatermarkOffsets(new TopicPartition(Topics.InputTopic, p), TimeSpan.FromSeconds(10)).High.Value).ToList();
    }

    public string FullLog(string workerId) => ReadShared(Path.Combine(Directory, workerId + ".log"));

    public string Logs() => string.Join("\n", _workers.Select(w => $"--- {w.LogPath}\n" + SafeTail(w.LogPath)));

    private static string SafeTail(string path) => string.Join('\n', ReadShared(path).Split('\n').TakeLast(40));

    /// <summary>A worker's log while the worker still writes it.</summary>
    private static string ReadShared(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (IOException ex) { return ex.Message; }
    }

    public void Dispose()
    {
        foreach (var w in _workers) w.Dispose();
        Broker.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { /* best effort: a temp directory */ }
    }
}
