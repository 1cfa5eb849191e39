using Confluent.Kafka;

namespace LabelStamp.Worker.Configuration;

/// <summary>
/// The librdkafka settings both delivery modes share, in one place so the two consume loops cannot
/// drift apart; each mode then sets only what differs (offset handling, isolation, transactions).
/// </summary>
public static class KafkaClientSettings
{
    public static ConsumerConfig Consumer(WorkerOptions options) => new()
    {
        BootstrapServers = options.BootstrapServers,
        GroupId = options.GroupId,
        ClientId = options.WorkerId,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnableAutoOffsetStore = false,
        SessionTimeoutMs = options.SessionTimeoutMs,
        HeartbeatIntervalMs = Math.Max(100, options.SessionTimeoutMs / 5),
        // Labeling a batch may take long; the poll loop is not the liveness signal (heartbeats are).
        MaxPollIntervalMs = 600_000,
        StatisticsIntervalMs = 5000,
        FetchMaxBytes = 16 << 20,
        MaxPartitionFetchBytes = 2 << 20,
        QueuedMaxMessagesKbytes = 16 << 10,
    };

    public static ProducerConfig Producer(WorkerOptions options) => new()
    {
        BootstrapServers = options.BootstrapServers,
        ClientId = options.WorkerId,
        EnableIdempotence = true, // implies acks=all and retries without reordering or duplicates per session
        Acks = Acks.All,
        MaxInFlight = options.MaxInFlightRequests,
        LingerMs = 5,
        MessageTimeoutMs = 120_000,
        MessageMaxBytes = Math.Max(options.InlineLimitBytes + (64 << 10), 1_000_000),
        CompressionType = CompressionType.None, // media is already compressed
    };
}
