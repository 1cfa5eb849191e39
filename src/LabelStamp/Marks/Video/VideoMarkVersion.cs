namespace LabelStamp.Marks.Video;

/// <summary>Which video mark the frames carry. Both read with the same detector (verify tries the static mark, then the
/// content-locked one, so a verifier needs no setting).</summary>
public enum VideoMarkVersion
{
    /// <summary>The default: the same pattern at the same place in every frame (<see cref="VideoMarkEmbedder"/>).</summary>
    Static,

    /// <summary>Opt-in: the pattern glued to the content's global translation (<see cref="ContentLockedMarkEmbedder"/>),
    /// 0.88–0.97× a plain transcode's bytes on H.264 pans where the static mark costs 2.06–3.58×, but its reader still
    /// loses some VP9 clips after the combined attack (bench/VIDEO.md rounds 10–11).</summary>
    ContentLocked,
}
