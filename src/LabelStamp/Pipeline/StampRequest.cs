using LabelStamp.Labels;

namespace LabelStamp.Pipeline;

/// <summary>One item to label: who produced it, its content ID (ProduceID), and the policy.</summary>
public sealed record StampRequest(string ContentId, string Producer, LabelPolicy Policy)
{
    /// <summary>A content type the sender claimed (Kafka content_type header); a mismatch with the bytes is an error.</summary>
    public string? DeclaredContentType { get; init; }
}
