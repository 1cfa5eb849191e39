namespace LabelStamp.Verification;

/// <summary>
/// When verify builds the registered canvas (<see cref="Marks.Video.RegisteredCanvas"/>) that reads the content-locked
/// video mark. The canvas costs the tracker on every sampled frame and up to 3 × 3 frames of float sums (≈ 110 MB on a
/// long fast 1080p pan); the static mark, the default, never needs it. bench/VIDEO.md, "Issue 18, round 12".
/// </summary>
public enum RegisteredReadMode
{
    /// <summary>Only when the static mark is not on the mean: a second decode of the same sampled frames, through the
    /// same ffmpeg runner (the default: a static stamp pays nothing; an unmarked file or a content-locked stamp pays a
    /// second decode instead of the tracker during the first).</summary>
    OnStaticMiss,

    /// <summary>During the one decode, on every keyed read (round 11's behaviour; for comparisons).</summary>
    Always,

    /// <summary>Never: the content-locked mark is not read from the frames (its reading leaves the bound).</summary>
    Never,
}
