namespace LabelStamp.Marks.Video;

/// <summary>
/// Which frames a reading of the video mark averages: every <see cref="Step"/>-th frame from the first, at most
/// <see cref="MaxAveragedFrames"/> of them, spread over the file. Verify reads this way, and the stamp checks its own
/// marked frames this way, so the check sees the frames the reader will.
/// </summary>
public static class VideoMarkSampling
{
    /// <summary>Frames in a mean: the static pattern adds up over them while moving content and codec noise average
    /// out (≈ 100 frames is what the amplitude was set for, docs/video.md).</summary>
    public const int MaxAveragedFrames = 120;

    /// <summary>The sampling step for a stream of <paramref name="totalFrames"/> frames.</summary>
    public static int Step(long totalFrames) => (int)Math.Max(1, (totalFrames + MaxAveragedFrames - 1) / MaxAveragedFrames);

    /// <summary>Whether frame <paramref name="index"/> (0-based, display order) is one the mean takes.</summary>
    public static bool Takes(long index, int step) => index % step == 0 && index / step < MaxAveragedFrames;
}
