using LabelStamp.Marks.Payload;

namespace LabelStamp.Marks.Audio;

/// <summary>
/// A detected audio mark: the payload (CRC-checked), where the block grid was found, the sync z-score,
/// the coded-bit errors Viterbi corrected, the false-positive bound it was declared under (≤ 1e-9), and
/// the time-scale factor it was found at (1 unless the file was sped up or slowed down).
/// </summary>
public sealed record AudioMarkDetection(
    MarkPayload Payload,
    double OffsetSeconds,
    double SyncZ,
    int BitErrorsCorrected,
    int CodedBits,
    double FalsePositiveProbability,
    int BlocksSeen,
    double Speed = 1.0);
