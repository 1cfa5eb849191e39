using Confluent.Kafka;

namespace LabelStamp.Worker.Processing;

/// <summary>What one input became: a labeled output or a dead letter, ready to produce.</summary>
public sealed record LabelingOutcome(string Topic, Message<byte[]?, byte[]?> Message, bool IsDeadLetter, string ContentId, string? ErrorCode, long OutputBytes);
