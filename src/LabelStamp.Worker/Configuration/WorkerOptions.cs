using LabelStamp.Errors;

namespace LabelStamp.Worker.Configuration;

/// <summary>
/// Everything the Kafka worker needs, bound once from appsettings.json, <c>LABELSTAMP__Worker__…</c>
/// environment variables and command-line flags, then validated and never changed.
/// </summary>
public sealed record WorkerOptions
{
    public const string Section = "Worker";

    public string BootstrapServers { get; init; } = "";
    public string GroupId { get; init; } = "labelstamp";
    public string InputTopic { get; init; } = "labelstamp.generated";
    public string OutputTopic { get; init; } = "labelstamp.labeled";
    public string DeadLetterTopic { get; init; } = "labelstamp.dlq";
    public DeliveryMode Delivery { get; init; } = DeliveryMode.AtLeastOnce;

    /// <summary>Items labeled at once; labeling is CPU-bound, so one per core.</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Bytes of media held in flight before partitions are paused (bounded memory).</summary>
    public long InFlightBytes { get; init; } = 256L << 20;

    /// <summary>What a by-reference input is charged against the budget before its size is known.</summary>
    public long ReferenceEstimateBytes { get; init; } = 8L << 20;

    /// <summary>Outputs larger than this go to the store and travel as ls-ref (Kafka's default limit is 1 MiB).</summary>
    public int InlineLimitBytes { get; init; } = 1 << 20;

    /// <summary>The claim-check store for large outputs, a file:// directory URI.</summary>
    public string Store { get; init; } = "";

    /// <summary>Hosts an http(s) ls-ref may point at; anything else is refused (no SSRF).</summary>
    public string[] HttpAllowedHosts { get; init; } = [];
    public long HttpMaxBytes { get; init; } = 256L << 20;
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Kafka group session; a killed worker's partitions move after this long.</summary>
    public int SessionTimeoutMs { get; init; } = 45_000;

    /// <summary>Port of the Prometheus /metrics and /health endpoint; 0 = off.</summary>
    public int MetricsPort { get; init; }

    /// <summary>Written into ls-worker of dead letters and the Kafka client.id.</summary>
    public string WorkerId { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>ContentProducer code used when a message has no ls-producer header.</summary>
    public string DefaultProducer { get; init; } = "";

    /// <summary>Produce requests in flight per broker connection (librdkafka max.in.flight; ≤ 5 with idempotence).</summary>
    public int MaxInFlightRequests { get; init; } = 5;

    /// <summary>Exactly-once: items per transaction (labeled in parallel, committed together).</summary>
    public int TransactionBatchSize { get; init; } = 16;

    /// <summary>Exactly-once: how long a batch waits for more items after its first.</summary>
    public TimeSpan TransactionBatchWindow { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Exactly-once: transaction.timeout.ms, and the limit on each transactional call.</summary>
    public TimeSpan TransactionTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Provider (default) or Platform (spec §8; docs/platform.md).</summary>
    public WorkerMode Mode { get; init; } = WorkerMode.Provider;

    /// <summary>Platform mode: our ContentPropagator code (GB 45438 Annex E).</summary>
    public string Propagator { get; init; } = "";

    /// <summary>Platform mode: the notice for Label "2" (uploader declared AI content) and "3" (suspected).</summary>
    public string PossiblyWording { get; init; } = LabelStamp.Platform.PlatformOptions.DefaultPossiblyWording;
    public string SuspectedWording { get; init; } = LabelStamp.Platform.PlatformOptions.DefaultSuspectedWording;

    /// <summary>Provider mode: label an input that already carries an AIGC record with Label "1",
    /// replacing it. Off by default: such an input is dead-lettered with LS211 (AlreadyLabeled).</summary>
    public bool Restamp { get; init; }

    /// <summary>Time allowed to finish in-flight items and flush on shutdown.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The platform-mode settings as the library takes them, validated (throws with a clear message).</summary>
    public LabelStamp.Platform.PlatformOptions PlatformOptions(LabelStamp.Labels.LabelPolicy policy)
    {
        if (string.IsNullOrWhiteSpace(Propagator))
            throw new LabelStampException(ErrorCode.InvalidArgument,
                "worker configuration: Mode Platform needs Propagator, the platform's ContentPropagator code (--propagator or LABELSTAMP__Worker__Propagator)");
        return new LabelStamp.Platform.PlatformOptions
        {
            Propagator = Propagator,
            PossiblyWording = new LabelStamp.Labels.LabelWording(PossiblyWording),
            SuspectedWording = new LabelStamp.Labels.LabelWording(SuspectedWording),
            Policy = policy,
        }.Validate();
    }

    public WorkerOptions Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new LabelStampException(ErrorCode.InvalidArgument, "worker configuration: " + message);
        }
        Require(!string.IsNullOrWhiteSpace(BootstrapServers), "BootstrapServers is required (--bootstrap or LABELSTAMP__Worker__BootstrapServers)");
        Require(!string.IsNullOrWhiteSpace(GroupId), "GroupId is required");
        Require(!string.IsNullOrWhiteSpace(InputTopic) && !string.IsNullOrWhiteSpace(OutputTopic) && !string.IsNullOrWhiteSpace(DeadLetterTopic), "input, output and dead-letter topics are required");
        Require(InputTopic != OutputTopic && InputTopic != DeadLetterTopic, "the input topic must differ from the output and dead-letter topics (a loop would relabel outputs)");
        Require(Enum.IsDefined(Delivery), $"Delivery {Delivery} must be AtLeastOnce or ExactlyOnce");
        Require(MaxInFlightRequests is >= 1 and <= 5, "MaxInFlightRequests must be 1..5 (the idempotent producer's limit)");
        Require(TransactionBatchSize is > 0 and <= 10_000, "TransactionBatchSize must be 1..10000");
        Require(TransactionBatchWindow >= TimeSpan.Zero, "TransactionBatchWindow must not be negative");
        Require(TransactionTimeout >= TimeSpan.FromSeconds(1) && TransactionTimeout <= TimeSpan.FromMinutes(15), "TransactionTimeout must be 1 s..15 min (brokers cap it at transaction.max.timeout.ms)");
        Require(MaxParallelism is > 0 and <= 1024, $"MaxParallelism {MaxParallelism} must be 1..1024");
        Require(InFlightBytes >= 1 << 20, "InFlightBytes must be at least 1 MiB");
        Require(ReferenceEstimateBytes > 0, "ReferenceEstimateBytes must be positive");
        Require(InlineLimitBytes is > 0 and <= 64 << 20, "InlineLimitBytes must be 1 byte..64 MiB");
        Require(Store.Length == 0 || Store.StartsWith("file://", StringComparison.OrdinalIgnoreCase), $"Store '{Store}' must be a file:// URI");
        Require(HttpMaxBytes > 0 && HttpTimeout > TimeSpan.Zero, "HttpMaxBytes and HttpTimeout must be positive");
        Require(SessionTimeoutMs >= 1000, "SessionTimeoutMs must be at least 1000");
        Require(MetricsPort is >= 0 and <= 65535, "MetricsPort must be 0..65535");
        Require(!string.IsNullOrWhiteSpace(WorkerId), "WorkerId is required");
        Require(DrainTimeout > TimeSpan.Zero, "DrainTimeout must be positive");
        Require(Enum.IsDefined(Mode), $"Mode {Mode} must be Provider or Platform");
        if (Mode == WorkerMode.Platform) PlatformOptions(new LabelStamp.Labels.LabelPolicy()); // validates code and wordings
        return this;
    }
}
