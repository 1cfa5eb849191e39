using System.Text;
using Confluent.Kafka;
using LabelStamp.Media;
using LabelStamp.Worker.Contract;
using LabelStamp.Worker.Store;

namespace LabelStamp.Cli.Demo;

/// <summary>
/// The generator side of the contract (spec §7): CloudEvents binary-mode headers, media inline when
/// small, otherwise written to the store and sent as an ls-ref claim check.
/// </summary>
public sealed class InputPublisher : IDisposable
{
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly IClaimCheckStore _store;
    private readonly int _inlineLimit;
    private readonly string _producerCode;

    public InputPublisher(string bootstrapServers, IClaimCheckStore store, int inlineLimit, string producerCode)
    {
        _store = store;
        _inlineLimit = inlineLimit;
        _producerCode = producerCode;
        _producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            LingerMs = 5,
            ClientId = "labelstamp-generator",
        }).Build();
    }

    public async Task PublishAsync(string topic, SampleInput input, CancellationToken cancellationToken)
    {
        var headers = new Headers();
        void Add(string name, string value) => headers.Add(name, Encoding.UTF8.GetBytes(value));
        Add(KafkaHeaders.SpecVersion, KafkaHeaders.CloudEventsVersion);
        if (!input.OmitContentId) Add(KafkaHeaders.Id, input.ContentId);
        Add(KafkaHeaders.Source, "urn:labelstamp:demo-generator");
        Add(KafkaHeaders.Type, KafkaHeaders.GeneratedType);
        Add(KafkaHeaders.Producer, _producerCode);
        if (!input.Headers.ContainsKey(KafkaHeaders.ContentType))
            Add(KafkaHeaders.ContentType, MediaSniffer.TrySniff(input.Bytes)?.ContentType ?? "application/octet-stream");

        byte[] value = input.Bytes;
        if (input.Bytes.Length > _inlineLimit && !input.Headers.ContainsKey(KafkaHeaders.Reference))
        {
            var uri = await _store.WriteAsync(input.ContentId, input.Bytes, Path.GetExtension(input.Name), cancellationToken).ConfigureAwait(false);
            Add(KafkaHeaders.Reference, uri.AbsoluteUri);
            value = [];
        }
        foreach (var (name, text) in input.Headers) Add(name, text);
        if (input.Headers.ContainsKey(KafkaHeaders.Reference)) value = [];

        var message = new Message<byte[]?, byte[]?>
        {
            Key = input.OmitContentId ? null : Encoding.UTF8.GetBytes(input.ContentId),
            Value = value,
            Headers = headers,
        };
        await _producer.ProduceAsync(topic, message, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(10));
        _producer.Dispose();
    }
}
