namespace LabelStamp.Robustness.Video;

/// <summary>The spec §5 video attacks as data shared by tests and the benchmark. The excerpt and scale
/// alone re-encode near-transparently (CRF 18) so each row isolates one transformation; the combined
/// row stacks all three at the harsher CRF. Metadata is stripped by every attack (as platforms do), so
/// only the pixels and samples carry the label afterwards.</summary>
public static class VideoAttackSuite
{
    public static VideoAttack H264Crf23 { get; } = new("h264-crf23", 23);
    public static VideoAttack H264Crf30 { get; } = new("h264-crf30", 30);
    public static VideoAttack ScaleTo720p { get; } = new("scale-720p", 18, ScaleHeight: 720);
    public static VideoAttack Excerpt5s { get; } = new("excerpt-5s", 18, ExcerptSeconds: 5);
    public static VideoAttack Combined { get; } = new("720p+excerpt-5s+crf30", 30, ScaleHeight: 720, ExcerptSeconds: 5);

    public static IReadOnlyList<VideoAttack> All { get; } = [H264Crf23, H264Crf30, ScaleTo720p, Excerpt5s, Combined];

    /// <summary>The development set's columns (issue 18): both x264 presets at CRF 23 and 30, x265 CRF 28,
    /// VP9 (constant quality 36), rescaled to 720p and 540p, 5 s excerpts from the start and the end,
    /// and all combined (a lower height, a mid-file 5 s excerpt, CRF 30). The scales apply to clips
    /// taller than the target only (<see cref="Applies"/>).</summary>
    public static IReadOnlyList<VideoAttack> Development { get; } =
    [
        new("h264-crf23-veryfast", 23), new("h264-crf23-medium", 23, Preset: "medium"),
        new("h264-crf30-veryfast", 30), new("h264-crf30-medium", 30, Preset: "medium"),
        new("h265-crf28", 28, Codec: "h265", Preset: "fast"), new("vp9-crf36", 36, Codec: "vp9"),
        new("scale-720p", 18, ScaleHeight: 720), new("scale-540p", 18, ScaleHeight: 540),
        new("excerpt-5s-start", 18, ExcerptSeconds: 5, ExcerptAt: 0), new("excerpt-5s-end", 18, ExcerptSeconds: 5, ExcerptAt: 1),
        new("combined-crf30", 30, ScaleHeight: -1, ExcerptSeconds: 5),
    ];

    /// <summary>Whether an attack means something for a clip of this height (a scale goes down only).</summary>
    public static bool Applies(VideoAttack attack, int height) => attack.ScaleHeight <= 0 || height > attack.ScaleHeight;

    /// <summary>The concrete attack for a clip: the combined row (ScaleHeight −1) scales to 720p, to 540p
    /// for clips of 720p, and not at all for clips of 540p and less (no lower step in the ladder).</summary>
    public static VideoAttack For(VideoAttack attack, int height) =>
        attack.ScaleHeight >= 0 ? attack : attack with { ScaleHeight = height > 720 ? 720 : height > 540 ? 540 : 0 };
}
