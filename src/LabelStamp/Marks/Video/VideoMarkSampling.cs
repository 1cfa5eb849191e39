namespace LabelStamp.Marks.Video;

/// <summary>
/// Which frames a reading of the video mark averages: every <see cref="Step"/>-th frame from the first, at most
/// <see cref="MaxAveragedFrames"/> of them, spread over the file. Verify reads this way, and the stamp checks its own
/// marked frames this way, so the check sees the frames the reader will.
/// </summary>
public static class VideoMarkSampling
{
    /// <summary>Frames in a mean: the static pattern adds up over them while moving content and codec noise average
    /// out (≈ 100 frames is what the amplitude was set for, docs/video.md). Not more for small frames either: on the 90 sweep
    /// clips at 360-720p (150 frames each) and their x264/x265 copies, a mean of all 150 frames read exactly the copies the 75
    /// taken today read (301 of 342; 38 frames read the same 301), pans within −1.3 / +0.9 z, stills with the same bits; 10 s
    /// clips (250 frames) likewise, except ffmpeg's `life`, whose picture changes every frame (+1.2 z at CRF 30 for 3× the
    /// frames, read either way). What is left in the mean does not average out over more frames of the same span: a still's
    /// picture, a pan's picture smeared along the pan, and the encoder's loss of a pattern that is the same in every frame
    /// (bench/VIDEO.md, issue 18 round 17).</summary>
    public const int MaxAveragedFrames = 120;

    /// <summary>The sampling step for a stream of <paramref name="totalFrames"/> frames.</summary>
    public static int Step(long totalFrames) => (int)Math.Max(1, (totalFrames + MaxAveragedFrames - 1) / MaxAveragedFrames);

    /// <summary>Whether frame <paramref name="index"/> (0-based, display order) is one the mean takes.</summary>
    public static bool Takes(long index, int step) => index % step == 0 && index / step < MaxAveragedFrames;
}
