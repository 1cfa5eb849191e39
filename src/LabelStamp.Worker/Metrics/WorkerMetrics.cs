using System.Text.Json;
using Prometheus;

namespace LabelStamp.Worker.Metrics;

/// <summary>
/// The worker's Prometheus metrics, in a registry of its own (no process-global state, so tests and
/// the demo can run several workers in one process).
/// </summary>
public sealed class WorkerMetrics
{
    public WorkerMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        Consumed = factory.CreateCounter("labelstamp_consumed_total", "Input messages consumed.");
        Labeled = factory.CreateCounter("labelstamp_labeled_total", "Outputs delivered to the output topic.");
        DeadLettered = factory.CreateCounter("labelstamp_dead_lettered_total", "Inputs delivered to the dead-letter topic.", new CounterConfiguration { LabelNames = ["code"] });
        BytesIn = factory.CreateCounter("labelstamp_bytes_in_total", "Media bytes read (inline or by reference).");
        BytesOut = factory.CreateCounter("labelstamp_bytes_out_total", "Labeled media bytes written.");
        DeliveryRetries = factory.CreateCounter("labelstamp_delivery_retries_total", "Outputs produced again after a failed delivery report.");
        Transactions = factory.CreateCounter("labelstamp_transactions_total", "Exactly-once batches by result.", new CounterConfiguration { LabelNames = ["result"] });
        InFlight = factory.CreateGauge("labelstamp_in_flight", "Items consumed and not yet acknowledged.");
        InFlightBytes = factory.CreateGauge("labelstamp_in_flight_bytes", "Budgeted bytes of items in flight.");
        Paused = factory.CreateGauge("labelstamp_paused", "1 while partitions are paused for backpressure.");
        ConsumerLag = factory.CreateGauge("labelstamp_consumer_lag", "Consumer lag per partition, from librdkafka statistics.", new GaugeConfiguration { LabelNames = ["topic", "partition"] });
        StageSeconds = factory.CreateHistogram("labelstamp_stage_seconds", "Per-stage latency.", new HistogramConfiguration
        {
            LabelNames = ["stage"],
            Buckets = Histogram.ExponentialBuckets(0.0005, 2, 18),
        });
    }

    public CollectorRegistry Registry { get; }
    public Counter Consumed { get; }
    public Counter Labeled { get; }
    public Counter DeadLettered { get; }
    public Counter BytesIn { get; }
    public Counter BytesOut { get; }
    public Counter DeliveryRetries { get; }
    public Counter Transactions { get; }
    public Gauge InFlight { get; }
    public Gauge InFlightBytes { get; }
    public Gauge Paused { get; }
    public Gauge ConsumerLag { get; }
    public Histogram StageSeconds { get; }

    public void ObserveStage(string stage, double seconds) => StageSeconds.WithLabels(stage).Observe(seconds);

    /// <summary>Reads consumer_lag per partition from a librdkafka statistics JSON document.</summary>
    public void ObserveStatistics(string json)
    {
        using var doc = JsonDocument.Parse(json);
        if (!doc.RootElement.TryGetProperty("topics", out var topics)) return;
        foreach (var topic in topics.EnumerateObject())
        {
            if (!topic.Value.TryGetProperty("partitions", out var partitions)) continue;
            foreach (var partition in partitions.EnumerateObject())
            {
                if (partition.Name == "-1") continue; // librdkafka's internal UA partition
                if (partition.Value.TryGetProperty("consumer_lag", out var lag) && lag.TryGetInt64(out long value) && value >= 0)
                    ConsumerLag.WithLabels(topic.Name, partition.Name).Set(value);
            }
        }
    }
}
