namespace LabelStamp.Labels;

/// <summary>Where the visible label sits (GB 45438 §5: an edge or corner). Default bottom-right.</summary>
public enum LabelCorner
{
    BottomRight = 0,
    BottomLeft,
    TopRight,
    TopLeft,
}
