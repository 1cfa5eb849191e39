using LabelStamp.Labels;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Marks.Video;

/// <summary>A declared video mark: the payload (CRC and key nibble checked), the coded bits corrected,
/// the false-positive bound (≤ 1e-9 or nothing is declared), the correlation of the cells with the
/// decoded codeword as a z-score, and the grid it was read on.</summary>
public sealed record VideoMarkDetection(MarkPayload Payload, int BitErrorsCorrected, double FalsePositiveProbability,
    double ZScore, int Cols, int Rows, int Candidates)
{
    public MarkId MarkId => Payload.MarkId;
}
