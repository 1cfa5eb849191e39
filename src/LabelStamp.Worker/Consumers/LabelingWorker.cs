using Confluent.Kafka;
using LabelStamp.Worker.Configuration;
using LabelStamp.Worker.Metrics;
using LabelStamp.Worker.Processing;
using LabelStamp.Worker.Producers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LabelStamp.Worker.Consumers;

/// <summary>
/// The at-least-once consume → label → produce loop (spec §7). One thread polls Kafka; labeling runs on
/// the thread pool, at most MaxParallelism at once, within the in-flight byte budget; an input's offset
/// is stored (and later auto-committed) only after its output or dead letter is acknowledged and every
/// earlier offset of its partition is too. A kill -9 therefore replays, never skips; replays produce
/// identical outputs under the same names.
/// </summary>
public sealed class LabelingWorker : BackgroundService
{
    private readonly WorkerOptions _options;
    private readonly MessageLabeler _labeler;
    private readonly WorkerMetrics _metrics;
    private readonly WorkerHealth _health;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<LabelingWorker> _logger;
    private readonly Dictionary<TopicPartition, PartitionProgress> _progress = [];
    private readonly InFlightBudget _budget;
    private readonly SemaphoreSlim _slots;

    public LabelingWorker(WorkerOptions options, MessageLabeler labeler, WorkerMetrics metrics, WorkerHealth health,
        IHostApplicationLifetime lifetime, ILogger<LabelingWorker> logger)
    {
        _options = options;
        _labeler = labeler;
        _metrics = metrics;
        _health = health;
        _lifetime = lifetime;
        _logger = logger;
        // Twice the parallelism queued so a core never idles waiting for the next poll.
        _budget = new InFlightBudget(options.MaxParallelism * 2, options.InFlightBytes);
        _slots = new SemaphoreSlim(options.MaxParallelism, options.MaxParallelism);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        // Two tokens: stopping ends polling; abandon ends in-flight labeling and delivery retries, and fires
        // only when the drain times out (or on a fatal error), so a graceful stop finishes its items.
        using var abandon = new CancellationTokenSource();
        using var fatal = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _fatal = fatal;
        using var producer = new OutcomeProducer(_options, _metrics, _logger, reason => OnFatal(reason, fatal), abandon.Token);
        using var consumer = BuildConsumer();
        consumer.Subscribe(_options.InputTopic);
        _logger.LogInformation("worker {WorkerId} consuming {Topic} as group {Group}, {Parallelism} in parallel, {Mode}",
            _options.WorkerId, _options.InputTopic, _options.GroupId, _options.MaxParallelism, _options.Delivery);
        try
        {
            Loop(consumer, producer, fatal.Token, abandon.Token);
        }
        catch (OperationCanceledException) when (fatal.IsCancellationRequested)
        {
            // stopping
        }
        catch (KafkaException ex) when (ex.Error.IsFatal)
        {
            OnFatal($"consumer fatal error {ex.Error.Code}", fatal);
        }
        finally
        {
            Drain(consumer, producer, abandon, graceful: !_health.IsFatal);
        }
    }

    private void Loop(IConsumer<byte[]?, byte[]?> consumer, OutcomeProducer producer, CancellationToken token, CancellationToken work)
    {
        bool paused = false;
        while (!token.IsCancellationRequested)
        {
            _health.Polled();
            if (_assignmentChanged)
            {
                // librdkafka keeps a partition's pause flag across revoke and re-assign, and a Resume issued
                // while nothing was assigned reaches no partition: re-apply the wanted state to the new
                // assignment, or a re-assigned partition stays paused for ever (found by the crash test).
                _assignmentChanged = false;
                var assignment = consumer.Assignment;
                if (paused) consumer.Pause(assignment);
                else consumer.Resume(assignment);
            }
            if (!_budget.HasRoom)
            {
                if (!paused)
                {
                    // Pausing (not just not polling) keeps group membership alive while the budget is full.
                    consumer.Pause(consumer.Assignment);
                    paused = true;
                    _metrics.Paused.Set(1);
                }
                _budget.WaitForReturn(TimeSpan.FromMilliseconds(100));
                var late = consumer.Consume(TimeSpan.Zero); // serves rebalance callbacks while paused
                if (late is { IsPartitionEOF: false, Message: not null }) Dispatch(late, producer, work);
                continue;
            }
            if (paused)
            {
                consumer.Resume(consumer.Assignment);
                paused = false;
                _metrics.Paused.Set(0);
            }
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null || result.IsPartitionEOF || result.Message is null) continue;
            Dispatch(result, producer, work);
        }
    }

    private void Dispatch(ConsumeResult<byte[]?, byte[]?> input, OutcomeProducer producer, CancellationToken token)
    {
        _metrics.Consumed.Inc();
        _logger.LogDebug("consumed {Partition}@{Offset}", input.Partition.Value, input.Offset.Value);
        PartitionProgress progress;
        lock (_progress)
        {
            if (!_progress.TryGetValue(input.TopicPartition, out progress!))
                _progress[input.TopicPartition] = progress = new PartitionProgress();
        }
        progress.Begin(input.Offset.Value);
        bool byReference = input.Message.Value is not { Length: > 0 };
        long charge = byReference ? _options.ReferenceEstimateBytes : input.Message.Value!.Length;
        _budget.Take(charge);
        _metrics.InFlight.Set(_budget.Items);
        _metrics.InFlightBytes.Set(_budget.Bytes);

        _ = Task.Run(async () =>
        {
            LabelingOutcome outcome;
            try
            {
                await _slots.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    outcome = await _labeler.LabelAsync(input, token).ConfigureAwait(false);
                }
                finally
                {
                    _slots.Release();
                }
            }
            catch (OperationCanceledException)
            {
                Release(charge); // abandoned mid-item: the offset stays unstored and the item is replayed
                return;
            }
            producer.Produce(outcome, delivered =>
            {
                _logger.LogDebug("acknowledged {ContentId} from {Partition}@{Offset} to {Topic} {OutPartition}@{OutOffset}", outcome.ContentId,
                    input.Partition.Value, input.Offset.Value, outcome.Topic, delivered.Partition.Value, delivered.Offset.Value);
                if (outcome.IsDeadLetter) _metrics.DeadLettered.WithLabels(outcome.ErrorCode ?? "").Inc();
                else _metrics.Labeled.Inc();
                if (progress.Complete(input.Offset.Value) is { } position)
                    StoreOffset(input.TopicPartition, position);
                Release(charge);
            });
        }, CancellationToken.None);
    }

    private void Release(long charge)
    {
        _budget.Return(charge);
        _metrics.InFlight.Set(_budget.Items);
        _metrics.InFlightBytes.Set(_budget.Bytes);
    }

    private IConsumer<byte[]?, byte[]?>? _consumer;
    private volatile bool _assignmentChanged;
    private CancellationTokenSource? _fatal;

    private void StoreOffset(TopicPartition partition, long position)
    {
        try
        {
            _consumer?.StoreOffset(new TopicPartitionOffset(partition, new Offset(position)));
        }
        catch (KafkaException ex)
        {
            // The partition was lost (session expired) while the item ran; its new owner replays it.
            _logger.LogInformation("offset {Position} of {Partition} not stored: {Code}", position, partition, ex.Error.Code);
        }
    }

    private IConsumer<byte[]?, byte[]?> BuildConsumer()
    {
        var config = KafkaClientSettings.Consumer(_options);
        config.EnableAutoCommit = true;  // commits only what StoreOffset stored, which happens after the output is acknowledged
        config.AutoCommitIntervalMs = 1000;
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetPartitionsAssignedHandler((_, partitions) =>
            {
                _assignmentChanged = true;
                _logger.LogInformation("assigned {Partitions}", string.Join(',', partitions.Select(p => p.Partition.Value)));
            })
            .SetPartitionsRevokedHandler((c, partitions) =>
            {
                // Finish (or give up on) what is in flight before the partitions move, then commit what is
                // done: the next owner starts exactly after the last acknowledged item.
                _logger.LogInformation("revoking {Partitions}; draining {Items} in flight", string.Join(',', partitions.Select(p => p.Partition.Value)), _budget.Items);
                if (!_budget.WaitForEmpty(_options.DrainTimeout))
                    _logger.LogWarning("drain timed out with {Items} in flight; they will be replayed", _budget.Items);
                CommitStored(c);
                lock (_progress) foreach (var p in partitions) _progress.Remove(p.TopicPartition);
            })
            .SetPartitionsLostHandler((_, partitions) =>
            {
                _logger.LogWarning("lost {Partitions}; in-flight items will be replayed by their new owner", string.Join(',', partitions.Select(p => p.Partition.Value)));
                lock (_progress) foreach (var p in partitions) _progress.Remove(p.TopicPartition);
            })
            .SetStatisticsHandler((_, json) => _metrics.ObserveStatistics(json))
            .SetErrorHandler((_, error) =>
            {
                if (error.IsFatal && _fatal is { } source) OnFatal($"consumer fatal error {error.Code}", source);
                else _logger.LogWarning("consumer: {Code} {Reason}", error.Code, error.Reason);
            })
            .SetLogHandler((_, message) => KafkaClientLog.Write(_logger, message))
            .Build();
        return _consumer;
    }

    private void CommitStored(IConsumer<byte[]?, byte[]?> consumer)
    {
        try { consumer.Commit(); }
        catch (KafkaException ex) when (ex.Error.Code is ErrorCode.Local_NoOffset)
        {
            // nothing new to commit
        }
        catch (KafkaException ex)
        {
            _logger.LogWarning("commit failed ({Code}); uncommitted items will be replayed", ex.Error.Code);
        }
    }

    private void Drain(IConsumer<byte[]?, byte[]?> consumer, OutcomeProducer producer, CancellationTokenSource abandon, bool graceful)
    {
        _logger.LogInformation("stopping: draining {Items} in flight", _budget.Items);
        if (!graceful || !_budget.WaitForEmpty(_options.DrainTimeout))
        {
            if (graceful) _logger.LogWarning("drain timed out with {Items} in flight; they will be replayed", _budget.Items);
            abandon.Cancel();
            _budget.WaitForEmpty(TimeSpan.FromSeconds(5));
        }
        producer.Flush(TimeSpan.FromSeconds(10));
        if (graceful)
        {
            CommitStored(consumer);
            consumer.Close(); // leaves the group now instead of after the session timeout
        }
        abandon.Cancel();
        _logger.LogInformation("worker {WorkerId} stopped", _options.WorkerId);
    }

    private void OnFatal(string reason, CancellationTokenSource fatal)
    {
        _logger.LogCritical("fatal: {Reason}; stopping without committing unacknowledged items", reason);
        _health.Fatal(reason);
        Environment.ExitCode = 3;
        try { fatal.Cancel(); } catch (ObjectDisposedException) { }
        _lifetime.StopApplication();
    }
}
