using LabelStamp.Labels;
using LabelStamp.Media;

namespace LabelStamp.Pipeline;

/// <summary>What a media labeler needs for one item: name for errors, the request, key, mark and AIGC record.</summary>
public sealed record StampContext(
    string Name,
    MediaFormat Format,
    StampRequest Request,
    MarkKey Key,
    MarkId MarkId,
    AigcLabel Aigc,
    MediaLimits Limits,
    StageTimings Timings);
