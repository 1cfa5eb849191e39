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
    StageTimings Timings);
