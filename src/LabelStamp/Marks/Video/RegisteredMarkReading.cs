using LabelStamp.Labels;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Marks.Video;

/// <summary>A content-locked mark read from registered frames (<see cref="RegisteredMarkSearch"/>): the payload (CRC and
/// key nibble checked), coded bits corrected, the false-positive bound over the shifts decoded, the cells' agreement
/// with the decoded codeword as a z-score, where the tile sat on the canvas (whole-cell shift, sub-cell phase in
/// canvas pixels, scale), the best shift's margin over the rest in robust SDs, and its rank among the shifts decoded.</summary>
public sealed record RegisteredMarkReading(MarkPayload Payload, int BitErrorsCorrected, double FalsePositiveProbability, double ZScore,
    int ShiftX, int ShiftY, double PhaseX, double PhaseY, double ShiftMargin, int Rank, double Scale)
{
    public MarkId MarkId => Payload.MarkId;
}
