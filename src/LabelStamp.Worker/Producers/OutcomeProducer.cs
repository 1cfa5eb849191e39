using Confluent.Kafka;
using LabelStamp.Worker.Configuration;
using LabelStamp.Worker.Metrics;
using LabelStamp.Worker.Processing;
using Microsoft.Extensions.Logging;

namespace LabelStamp.Worker.Producers;

/// <summary>
/// Produces outputs and dead letters with the idempotent producer and calls back only once the broker
/// has acknowledged them; a failed delivery is produced again, never dropped, because the input's
/// offset waits for that acknowledgement. A fatal producer error stops the worker (Confluent: the
/// producer is unusable; restart from the last committed offsets).
/// </summary>
public sealed class OutcomeProducer : IDisposable
{
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly WorkerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Action<string> _onFatal;
    private readonly CancellationToken _stopping;

    public OutcomeProducer(WorkerOptions options, WorkerMetrics metrics, ILogger logger, Action<string> onFatal, CancellationToken stopping)
    {
        _metrics = metrics;
        _logger = logger;
        _onFatal = onFatal;
        _stopping = stopping;
        var config = KafkaClientSettings.Producer(options);
        _producer = new ProducerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler((_, error) =>
            {
                if (error.IsFatal) _onFatal($"producer fatal error {error.Code}: {error.Reason}");
                else _logger.LogWarning("producer: {Code} {Reason}", error.Code, error.Reason);
            })
            .SetLogHandler((_, message) => KafkaClientLog.Write(_logger, message))
            .Build();
    }

    public void Produce(LabelingOutcome outcome, Action<TopicPartitionOffset> onAcknowledged) => Produce(outcome, onAcknowledged, attempt: 1);

    private void Produce(LabelingOutcome outcome, Action<TopicPartitionOffset> onAcknowledged, int attempt)
    {
        try
        {
            _producer.Produce(outcome.Topic, outcome.Message, report =>
            {
                if (!report.Error.IsError)
                {
                    onAcknowledged(report.TopicPartitionOffset);
                    return;
                }
                if (report.Error.IsFatal)
                {
                    _onFatal($"delivery of {outcome.ContentId} failed fatally: {report.Error.Code}");
                    return;
                }
                _metrics.DeliveryRetries.Inc();
                _logger.LogWarning("delivery of {ContentId} to {Topic} failed ({Code}), attempt {Attempt}; producing again",
                    outcome.ContentId, outcome.Topic, report.Error.Code, attempt);
                RetryLater(outcome, onAcknowledged, attempt + 1);
            });
        }
        catch (ProduceException<byte[]?, byte[]?> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
        {
            RetryLater(outcome, onAcknowledged, attempt);
        }
        catch (ProduceException<byte[]?, byte[]?> ex)
        {
            // Not retriable here (e.g. message too large): the input stays unacknowledged, so stop and let a
            // restart replay it rather than losing it.
            _onFatal($"cannot produce {outcome.ContentId}: {ex.Error.Code}");
        }
        catch (ObjectDisposedException)
        {
            // Shutting down; the offset stays unstored, so the input is replayed after restart.
        }
    }

    private void RetryLater(LabelingOutcome outcome, Action<TopicPartitionOffset> onAcknowledged, int attempt)
    {
        if (_stopping.IsCancellationRequested) return;
        _ = Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * attempt)), _stopping)
            .ContinueWith(t => { if (!t.IsCanceled) Produce(outcome, onAcknowledged, attempt); }, TaskScheduler.Default);
    }

    /// <summary>Waits for outstanding deliveries; returns how many are still queued.</summary>
    public int Flush(TimeSpan timeout) => _producer.Flush(timeout);

    public void Dispose() => _producer.Dispose();
}
