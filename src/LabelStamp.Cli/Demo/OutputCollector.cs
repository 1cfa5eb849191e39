using Confluent.Kafka;

namespace LabelStamp.Cli.Demo;

/// <summary>
/// The checker's reader: a fresh consumer group over the output and dead-letter topics from the
/// beginning, collecting every record (duplicates included) until each expected item is accounted for.
/// </summary>
public sealed class OutputCollector : IDisposable
{
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly string _deadLetterTopic;
    private readonly List<ReceivedRecord> _records = [];

    public OutputCollector(string bootstrapServers, string outputTopic, string deadLetterTopic)
    {
        _deadLetterTopic = deadLetterTopic;
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "labelstamp-checker-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            ClientId = "labelstamp-checker",
        })
            // Connection errors while a test takes the broker down are expected; the checker retries silently.
            .SetLogHandler((_, _) => { })
            .Build();
        _consumer.Subscribe([outputTopic, deadLetterTopic]);
    }

    public IReadOnlyList<ReceivedRecord> Records => _records;

    public HashSet<string> Accounted { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads until every expected ID has an output or dead letter, or the timeout; true when complete.</summary>
    public bool CollectUntil(IReadOnlySet<string> expected, TimeSpan timeout, Action<OutputCollector>? progress = null, CancellationToken cancellationToken = default)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        long nextProgress = 0;
        while (!expected.IsSubsetOf(Accounted) && Environment.TickCount64 < deadline && !cancellationToken.IsCancellationRequested)
        {
            Poll(TimeSpan.FromMilliseconds(200));
            if (progress is not null && Environment.TickCount64 >= nextProgress)
            {
                progress(this);
                nextProgress = Environment.TickCount64 + 500;
            }
        }
        return expected.IsSubsetOf(Accounted);
    }

    /// <summary>Keeps reading for a while to catch late duplicates.</summary>
    public void Drain(TimeSpan duration)
    {
        long deadline = Environment.TickCount64 + (long)duration.TotalMilliseconds;
        while (Environment.TickCount64 < deadline) Poll(TimeSpan.FromMilliseconds(200));
    }

    private void Poll(TimeSpan wait)
    {
        var result = _consumer.Consume(wait);
        while (result is not null)
        {
            if (!result.IsPartitionEOF && result.Message is not null)
            {
                var record = ReceivedRecord.From(result, result.Topic == _deadLetterTopic);
                _records.Add(record);
                Accounted.Add(record.ContentId);
            }
            result = _consumer.Consume(TimeSpan.Zero);
        }
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }
}
