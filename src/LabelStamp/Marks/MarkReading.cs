using LabelStamp.Labels;

namespace LabelStamp.Marks;

/// <summary>A watermark found in media: the mark ID, how much error correction it took and how unlikely
/// a chance detection is. <see cref="Geometry"/> says how it was found (scale, rotation, offset, frames).</summary>
public sealed record MarkReading(MarkId MarkId, string KeyId, int BitErrorsCorrected, double FalsePositiveProbability, string Geometry);
