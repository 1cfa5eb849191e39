using LabelStamp.Labels;

namespace LabelStamp.Explicit;

/// <summary>Where a visible label was found and how well the pixels matched the rendered wording (0–1).</summary>
public sealed record ExplicitLabelMatch(LabelWording Wording, LabelCorner Corner, int X, int Y, double Score);
