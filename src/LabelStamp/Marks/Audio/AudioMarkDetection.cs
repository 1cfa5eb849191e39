using LabelStamp.Marks.Payload;

namespace LabelStamp.Marks.Audio;

/// <summary>
/// A detected audio mark: the payload (CRC-checked), where the block grid was found, the sync z-score,
/// the coded-bit errors Viterbi corrected, and the false-positive bound it was declared under (≤ 1e-9).
/// </summary>
public sealed record AudioMarkDetection(
    MarkPayload Payload,
    double OffsetSeconds,
    double SyncZ,
    int BitErrorsCorrected,
    int CodedBits,
    double FalsePositiveProbability,
    int BlocksSeen);
