namespace LabelStamp.Marks.Video;

/// <summary>Which video mark the frames carry. All read with the same detector (verify tries the static mark, then the
/// content-locked one, so a verifier needs no setting).</summary>
public enum VideoMarkVersion
{
    /// <summary>The same pattern at the same place in every frame (<see cref="VideoMarkEmbedder"/>): the most margin under
    /// re-encodes, but on moving pictures the encoder pays for the pattern against the motion (2-6× a plain transcode's bytes on
    /// the development set's pans).</summary>
    Static,

    /// <summary>The pattern glued to the content's global translation (<see cref="ContentLockedMarkEmbedder"/>): 0.97-1.08× a
    /// plain transcode's bytes on the development set's H.264 pans, but on busy or periodic pictures its registration leaves
    /// it thin or unreadable where the static mark reads (bench/VIDEO.md rounds 15 and 17).</summary>
    ContentLocked,

    /// <summary>The default: the content-locked pattern where its stamp reads with margin, else the static pattern in a
    /// second pass (bench/VIDEO.md round 18). A pattern that never moved is the static one already.</summary>
    Auto,
}
