namespace LabelStamp.Marks.Video;

/// <summary>
/// Where the content of a stream's first frame is in a later frame, in centred pixel coordinates
/// (origin at the frame's centre): x = <see cref="Scale"/> · X + (<see cref="OffsetX"/>, <see cref="OffsetY"/>).
/// The content-locked mark draws its tile through it, so the pattern moves with the picture.
/// </summary>
public readonly record struct FrameMap(double Scale, double OffsetX, double OffsetY)
{
    /// <summary>The first frame's map: the content where it started.</summary>
    public static FrameMap Identity => new(1, 0, 0);

    /// <summary>This map followed by a step x' = s · x + (tx, ty) between two consecutive frames.</summary>
    public FrameMap Then(double scale, double tx, double ty) => new(scale * Scale, scale * OffsetX + tx, scale * OffsetY + ty);
}
