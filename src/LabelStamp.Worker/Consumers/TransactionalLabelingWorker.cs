using Confluent.Kafka;
using LabelStamp.Worker.Configuration;
using LabelStamp.Worker.Metrics;
using LabelStamp.Worker.Processing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LabelStamp.Worker.Consumers;

/// <summary>
/// The exactly-once loop (spec §7, Delivery = ExactlyOnce): consume a batch, label it in parallel, then
/// in one Kafka transaction produce every output and dead letter and send the batch's input offsets with
/// the consumer's group metadata (KIP-447, so a zombie from an older generation is fenced). Either all
/// of a batch becomes visible to read_committed readers, offsets included, or none of it does and the
/// batch is consumed again. Error handling follows Confluent's transactional producer contract:
/// retriable → retry the call, abortable → abort and rewind to the batch start, fatal → stop the
/// process without committing (its partitions move to another member, which resumes from the last
/// committed transaction).
/// </summary>
public sealed class TransactionalLabelingWorker(WorkerOptions options, MessageLabeler labeler, WorkerMetrics metrics, WorkerHealth health,
    IHostApplicationLifetime lifetime, ILogger<TransactionalLabelingWorker> logger) : BackgroundService
{
    private const int CommitAttempts = 5;
    private readonly WorkerOptions _options = options;
    private readonly WorkerMetrics _metrics = metrics;
    private readonly WorkerHealth _health = health;
    private readonly ILogger _logger = logger;
    /// <summary>The batch being collected; the rebalance callbacks (same thread, inside Consume) drop revoked partitions from it.</summary>
    private readonly List<ConsumeResult<byte[]?, byte[]?>> _batch = [];

    /// <summary>Stable per worker instance, so a restarted instance aborts its predecessor's open transaction at once.</summary>
    public static string TransactionalId(WorkerOptions options) => $"{options.GroupId}-{options.WorkerId}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        // Labeling of the current batch may finish within DrainTimeout after a stop; then it is abandoned
        // (nothing produced, nothing committed: the batch is replayed by the next owner).
        using var abandon = new CancellationTokenSource();
        using var stopRegistration = stoppingToken.Register(() => abandon.CancelAfter(_options.DrainTimeout));
        var producerConfig = KafkaClientSettings.Producer(_options);
        producerConfig.TransactionalId = TransactionalId(_options);
        producerConfig.TransactionTimeoutMs = (int)_options.TransactionTimeout.TotalMilliseconds;
        producerConfig.MessageTimeoutMs = producerConfig.TransactionTimeoutMs; // librdkafka: must not outlive the transaction
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(producerConfig)
            .SetErrorHandler((_, error) => _logger.LogWarning("producer: {Code} {Reason}", error.Code, error.Reason))
            .SetLogHandler((_, message) => KafkaClientLog.Write(_logger, message))
            .Build();
        using var consumer = BuildConsumer();
        bool graceful = true;
        try
        {
            InitTransactions(producer, stoppingToken);
            consumer.Subscribe(_options.InputTopic);
            _logger.LogInformation("worker {WorkerId} consuming {Topic} as group {Group} with transactions ({TransactionalId}), batches of {Batch}",
                _options.WorkerId, _options.InputTopic, _options.GroupId, producerConfig.TransactionalId, _options.TransactionBatchSize);
            while (!stoppingToken.IsCancellationRequested)
            {
                _health.Polled();
                Collect(consumer, stoppingToken);
                if (_batch.Count == 0) continue;
                var outcomes = Label(abandon.Token);
                if (outcomes is null) break; // abandoned on shutdown
                if (!Commit(producer, consumer, outcomes)) Rewind(consumer);
                _batch.Clear();
                _metrics.InFlight.Set(0);
            }
        }
        catch (KafkaException ex) when (ex.Error.IsFatal)
        {
            graceful = false;
            OnFatal($"{ex.Error.Code}: {ex.Error.Reason}");
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping between calls
        }
        finally
        {
            _logger.LogInformation("stopping: {Items} uncommitted items will be replayed", _batch.Count);
            if (graceful)
            {
                try { consumer.Close(); } catch (KafkaException ex) { _logger.LogWarning("close: {Code}", ex.Error.Code); }
            }
            _logger.LogInformation("worker {WorkerId} stopped", _options.WorkerId);
        }
    }

    /// <summary>Up to TransactionBatchSize items or InFlightBytes bytes, waiting at most the batch window after the first.</summary>
    private void Collect(IConsumer<byte[]?, byte[]?> consumer, CancellationToken stoppingToken)
    {
        long bytes = 0;
        var deadline = DateTime.MaxValue;
        while (_batch.Count < _options.TransactionBatchSize && bytes < _options.InFlightBytes && !stoppingToken.IsCancellationRequested)
        {
            var wait = _batch.Count == 0 ? TimeSpan.FromMilliseconds(100) : deadline - DateTime.UtcNow;
            if (wait <= TimeSpan.Zero) break;
            var result = consumer.Consume(wait);
            _health.Polled();
            if (result is null)
            {
                if (_batch.Count == 0) return; // idle: let the caller check for a stop
                continue;
            }
            if (result.IsPartitionEOF || result.Message is null) continue;
            _metrics.Consumed.Inc();
            if (_batch.Count == 0) deadline = DateTime.UtcNow + _options.TransactionBatchWindow;
            _batch.Add(result);
            bytes += result.Message.Value is { Length: > 0 } v ? v.Length : _options.ReferenceEstimateBytes;
        }
        _metrics.InFlight.Set(_batch.Count);
        _metrics.InFlightBytes.Set(bytes);
    }

    /// <summary>Registers the transactional ID, fencing any earlier producer with the same ID and aborting its open transaction.</summary>
    private void InitTransactions(IProducer<byte[]?, byte[]?> producer, CancellationToken stoppingToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                producer.InitTransactions(_options.TransactionTimeout);
                return;
            }
            catch (KafkaRetriableException ex) when (!stoppingToken.IsCancellationRequested)
            {
                _logger.LogWarning("initialising transactions failed ({Code}), attempt {Attempt}; retrying", ex.Error.Code, attempt);
            }
        }
    }

    /// <summary>Labels the batch with MaxParallelism items at once; null when abandoned on shutdown.</summary>
    private LabelingOutcome[]? Label(CancellationToken abandon)
    {
        var outcomes = new LabelingOutcome[_batch.Count];
        var items = _batch.ToArray();
        try
        {
            Parallel.ForEachAsync(Enumerable.Range(0, items.Length),
                new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelism, CancellationToken = abandon },
                async (i, ct) => outcomes[i] = await labeler.LabelAsync(items[i], ct).ConfigureAwait(false)).GetAwaiter().GetResult();
            return outcomes;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>One transaction: every outcome plus the input offsets. False when it was aborted (the batch must be replayed).</summary>
    private bool Commit(IProducer<byte[]?, byte[]?> producer, IConsumer<byte[]?, byte[]?> consumer, LabelingOutcome[] outcomes)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            producer.BeginTransaction();
            foreach (var outcome in outcomes)
                producer.Produce(outcome.Topic, outcome.Message);
            producer.SendOffsetsToTransaction(NextOffsets(), consumer.ConsumerGroupMetadata, _options.TransactionTimeout);
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    producer.CommitTransaction(_options.TransactionTimeout);
                    break;
                }
                catch (KafkaRetriableException ex) when (attempt < CommitAttempts)
                {
                    _logger.LogWarning("commit of {Items} items failed ({Code}), attempt {Attempt}; retrying", outcomes.Length, ex.Error.Code, attempt);
                }
            }
        }
        catch (KafkaException ex) when (!ex.Error.IsFatal)
        {
            // Abortable (KafkaTxnRequiresAbortException) or retriable beyond our patience: nothing of the batch
            // is committed; abort so read_committed readers never see it, then consume the batch again.
            _logger.LogWarning("transaction of {Items} items aborted ({Code}: {Reason}); the batch is replayed", outcomes.Length, ex.Error.Code, ex.Error.Reason);
            _metrics.Transactions.WithLabels("aborted").Inc();
            producer.AbortTransaction(_options.TransactionTimeout);
            return false;
        }
        _metrics.Transactions.WithLabels("committed").Inc();
        _metrics.ObserveStage("transaction", System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds);
        foreach (var outcome in outcomes)
        {
            if (outcome.IsDeadLetter) _metrics.DeadLettered.WithLabels(outcome.ErrorCode ?? "").Inc();
            else _metrics.Labeled.Inc();
        }
        _logger.LogDebug("committed {Items} items up to {Offsets}", outcomes.Length, string.Join(',', NextOffsets().Select(o => $"{o.Partition.Value}@{o.Offset.Value}")));
        return true;
    }

    private List<TopicPartitionOffset> NextOffsets()
    {
        var next = new Dictionary<TopicPartition, long>();
        foreach (var item in _batch)
            next[item.TopicPartition] = Math.Max(next.GetValueOrDefault(item.TopicPartition), item.Offset.Value + 1);
        return next.Select(p => new TopicPartitionOffset(p.Key, new Offset(p.Value))).ToList();
    }

    /// <summary>After an abort: every partition of the batch goes back to its first offset in the batch (the last committed position).</summary>
    private void Rewind(IConsumer<byte[]?, byte[]?> consumer)
    {
        var first = new Dictionary<TopicPartition, long>();
        foreach (var item in _batch)
            first[item.TopicPartition] = Math.Min(first.GetValueOrDefault(item.TopicPartition, long.MaxValue), item.Offset.Value);
        foreach (var (partition, offset) in first)
        {
            try { consumer.Seek(new TopicPartitionOffset(partition, new Offset(offset))); }
            catch (KafkaException ex)
            {
                // No longer ours (rebalanced while aborting): its new owner starts from the committed offset.
                _logger.LogInformation("rewind of {Partition} skipped: {Code}", partition, ex.Error.Code);
            }
        }
    }

    private IConsumer<byte[]?, byte[]?> BuildConsumer()
    {
        var config = KafkaClientSettings.Consumer(_options);
        config.EnableAutoCommit = false;                 // offsets are committed only inside transactions
        config.IsolationLevel = IsolationLevel.ReadCommitted;
        return new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetPartitionsAssignedHandler((_, partitions) =>
                _logger.LogInformation("assigned {Partitions}", string.Join(',', partitions.Select(p => p.Partition.Value))))
            .SetPartitionsRevokedHandler((_, partitions) => Forget(partitions.Select(p => p.TopicPartition), "revoked"))
            .SetPartitionsLostHandler((_, partitions) => Forget(partitions.Select(p => p.TopicPartition), "lost"))
            .SetStatisticsHandler((_, json) => _metrics.ObserveStatistics(json))
            .SetErrorHandler((_, error) =>
            {
                if (error.IsFatal) OnFatal($"consumer fatal error {error.Code}");
                else _logger.LogWarning("consumer: {Code} {Reason}", error.Code, error.Reason);
            })
            .SetLogHandler((_, message) => KafkaClientLog.Write(_logger, message))
            .Build();
    }

    /// <summary>Uncommitted items of partitions that moved are dropped: their new owner consumes them from the committed offset.</summary>
    private void Forget(IEnumerable<TopicPartition> partitions, string why)
    {
        var gone = partitions.ToHashSet();
        int dropped = _batch.RemoveAll(r => gone.Contains(r.TopicPartition));
        _logger.LogInformation("{Why} {Partitions}; {Dropped} uncommitted items left to the new owner", why, string.Join(',', gone.Select(p => p.Partition.Value)), dropped);
    }

    private void OnFatal(string reason)
    {
        _logger.LogCritical("fatal: {Reason}; stopping without committing", reason);
        _health.Fatal(reason);
        Environment.ExitCode = 3;
        lifetime.StopApplication();
    }
}
