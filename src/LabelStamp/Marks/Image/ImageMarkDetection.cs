using LabelStamp.Labels;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Marks.Image;

/// <summary>
/// A declared image watermark. <see cref="FalsePositiveProbability"/> is the union bound of
/// <see cref="FalsePositiveBound"/> (≤ 1e-9, or nothing is declared). Geometry maps the embedded tile
/// onto the examined image: <see cref="Scale"/> (examined / original size), <see cref="RotationDegrees"/>
/// (counter-clockwise), and the tile phase (<see cref="OffsetX"/>, <see cref="OffsetY"/>, in original
/// pixels modulo the 256-pixel period, i.e. the crop offset up to whole tiles); <see cref="Mirrored"/>
/// when the image was flipped left to right.
/// </summary>
public sealed record ImageMarkDetection(
    MarkPayload Payload,
    int BitErrorsCorrected,
    double FalsePositiveProbability,
    double SyncZScore,
    double Scale,
    double RotationDegrees,
    int OffsetX,
    int OffsetY,
    int CandidatesTried,
    bool Mirrored = false)
{
    public MarkId MarkId => Payload.MarkId;
    public byte KeyNibble => Payload.KeyNibble;
}
