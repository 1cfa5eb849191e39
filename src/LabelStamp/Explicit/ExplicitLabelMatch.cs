using LabelStamp.Labels;

namespace LabelStamp.Explicit;

/// <summary>Where a visible label was found and how well the pixels matched the rendered wording (0–1).</summary>
public sealed record ExplicitLabelMatch(LabelWording Wording, LabelCorner Corner, int X, int Y, double Score)
{
    /// <summary>The rendered label that matched at (<see cref="X"/>, <see cref="Y"/>): its plate is the label's
    /// box and its text mask tells text pixels from plate pixels when the label is measured
    /// (<see cref="LabelMeasurement"/>). Null only for a match made without a template.</summary>
    public LabelOverlay? Overlay { get; init; }
}
