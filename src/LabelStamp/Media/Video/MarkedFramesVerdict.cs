namespace LabelStamp.Media.Video;

/// <summary>What the stamp's check of its own marked frames found (<see cref="MarkedFramesCheck"/>).</summary>
public enum MarkedFramesVerdict
{
    /// <summary>The mean of the frames verify will average decodes to the stamp's mark.</summary>
    Reads,

    /// <summary>It does not: the picture outweighs the pattern before any encoder; the frames' mark is not claimed.</summary>
    Unreadable,

    /// <summary>Not decided: no frame was taken, or the content-locked pattern moved (the plain mean smears it; its placed
    /// canvas is read instead), or, on the placed canvas, no canvas or a sampled frame missing (the stamp then reads its file).</summary>
    NotChecked,
}
