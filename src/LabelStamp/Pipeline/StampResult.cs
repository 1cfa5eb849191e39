using LabelStamp.Labels;
using LabelStamp.Media;

namespace LabelStamp.Pipeline;

/// <summary>The labeled bytes and everything a caller reports about them (Kafka headers, CLI summary).</summary>
public sealed record StampResult(
    byte[] Output,
    MediaFormat Format,
    AigcLabel Aigc,
    MarkId MarkId,
    string KeyId,
    Layers Applied,
    StageTimings Timings)
{
    /// <summary>Layers asked for but not applied, and why (empty when everything asked for was applied).</summary>
    public IReadOnlyList<LayerNotice> Notices { get; init; } = [];
}
