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
}
