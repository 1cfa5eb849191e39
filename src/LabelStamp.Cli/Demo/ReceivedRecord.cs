using System.Text;
using Confluent.Kafka;

namespace LabelStamp.Cli.Demo;

/// <summary>One message read back from the output or dead-letter topic.</summary>
public sealed record ReceivedRecord(string Topic, string ContentId, IReadOnlyDictionary<string, string> Headers, byte[] Value, int Partition, long Offset)
{
    public bool IsDeadLetter { get; init; }

    public string? Header(string name) => Headers.GetValueOrDefault(name);

    public static ReceivedRecord From(ConsumeResult<byte[]?, byte[]?> result, bool deadLetter)
    {
        var headers = new Dictionary<string, string>();
        if (result.Message.Headers is { } hs)
            foreach (var h in hs) headers[h.Key] = Encoding.UTF8.GetString(h.GetValueBytes() ?? []);
        string id = result.Message.Key is { Length: > 0 } k ? Encoding.UTF8.GetString(k) : headers.GetValueOrDefault("ce_id") ?? "";
        return new ReceivedRecord(result.Topic, id, headers, result.Message.Value ?? [], result.Partition.Value, result.Offset.Value) { IsDeadLetter = deadLetter };
    }
}
