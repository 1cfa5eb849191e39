using LabelStamp.Errors;

namespace LabelStamp.Media.Video;

/// <summary>
/// How the video adapter labels and encodes. The opening label follows the <see cref="Labels.LabelPolicy"/>
/// (wording, corner, size ≥ 5 % of the shorter side); these settings add the video-only parts.
/// </summary>
public sealed record VideoLabelOptions
{
    /// <summary>GB 45438 §5 asks for ≥ 2 s; half a second more so a player's first-frame latency or a
    /// trimmed first GOP still leaves 2 s.</summary>
    public double OpeningSeconds { get; init; } = 2.5;

    /// <summary>The smaller label kept in the policy's corner for the rest of the video (spec §3: on by default).</summary>
    public bool CornerLabel { get; init; } = true;

    /// <summary>Ink height of the persistent corner label as a fraction of the shorter side. Spec §3 asks
    /// for ≥ 5 % throughout, so the corner label is the rule's minimum (the opening label uses the policy's
    /// 5.5 %): an excerpt cut after the opening still carries a conformant label.</summary>
    public double CornerTextHeightFraction { get; init; } = Labels.LabelPolicy.MinTextHeightFraction;

    /// <summary>Frames being processed at once (besides those in the pipes): bounds memory at a few frames.</summary>
    public int FramesInFlight { get; init; } = 4;

    /// <summary>Peak change of the video mark in luma levels (<see cref="Marks.Video.VideoMarkEmbedder"/>):
    /// a smooth bump per grid cell, the same every frame; the detector averages ~100 frames, so a few
    /// levels suffice (6: per-frame PSNR of the pattern ≈ 41 dB, smooth, no edges). bench/VIDEO.md, "codec-shaped mark".</summary>
    public double MarkAmplitude { get; init; } = Marks.Video.VideoMarkEmbedder.DefaultAmplitude;

    /// <summary>Which video mark the frames carry: <see cref="Marks.Video.VideoMarkVersion.Auto"/> (default: content-locked
    /// where it reads with margin, else static), <see cref="Marks.Video.VideoMarkVersion.Static"/> or
    /// <see cref="Marks.Video.VideoMarkVersion.ContentLocked"/> (configuration <c>Video:MarkVersion</c>, CLI
    /// <c>stamp --video-mark auto|static|content-locked</c>; docs/video.md).</summary>
    public Marks.Video.VideoMarkVersion MarkVersion { get; init; } = Marks.Video.VideoMarkVersion.Auto;

    /// <summary>The content-locked mark follows a zoom (the map carries the scale) instead of holding the zoom shot
    /// (<see cref="Marks.Video.ContentLockedMarkEmbedder"/>'s <c>followZoom</c>). Off: verify's registered read composes the
    /// copy's frame-to-frame steps and loses a followed zoom after CRF 30 (bench/VIDEO.md, rounds 12 and 13).</summary>
    public bool FollowZoom { get; init; }

    /// <summary>When verify reads the content-locked mark's registered canvas: only after the static read fails (default),
    /// always during the one decode, or never (configuration <c>Video:RegisteredRead</c>, CLI
    /// <c>verify --video-registered-read</c>; docs/video.md, "Round 12").</summary>
    public Verification.RegisteredReadMode RegisteredRead { get; init; } = Verification.RegisteredReadMode.OnStaticMiss;

    /// <summary>Whether the registered read also builds the canvas registered against key frames (round 15). Not a
    /// setting: the benchmarks turn it off to measure what the second canvas costs verify (bench/VIDEO.md round 16).</summary>
    internal bool KeyFrameCanvas { get; init; } = true;

    public string X264Preset { get; init; } = "medium";
    public string X265Preset { get; init; } = "fast";
    /// <summary>libvpx speed (0 slowest … 8); 4 is the usual "good" trade-off for file encodes.</summary>
    public int VpxCpuUsed { get; init; } = 4;

    public VideoLabelOptions Validate()
    {
        if (OpeningSeconds < 2 || OpeningSeconds > 60)
            throw new LabelStampException(ErrorCode.InvalidPolicy, $"opening label duration {OpeningSeconds} s must be between 2 s (GB 45438 §5) and 60 s");
        if (CornerTextHeightFraction < Labels.LabelPolicy.MinTextHeightFraction || CornerTextHeightFraction > 0.25)
            throw new LabelStampException(ErrorCode.InvalidPolicy,
                $"corner label height fraction {CornerTextHeightFraction} must be between {Labels.LabelPolicy.MinTextHeightFraction} (GB 45438 §5, spec §3) and 0.25");
        if (!(MarkAmplitude > 0 && MarkAmplitude <= 7.5))
            throw new LabelStampException(ErrorCode.InvalidPolicy, $"mark amplitude {MarkAmplitude} must be in (0, 7.5] luma levels");
        if (!Enum.IsDefined(MarkVersion))
            throw new LabelStampException(ErrorCode.InvalidPolicy, $"video mark version {(int)MarkVersion} is not one of static, content-locked, auto");
        if (!Enum.IsDefined(RegisteredRead))
            throw new LabelStampException(ErrorCode.InvalidPolicy, $"registered read {(int)RegisteredRead} is not one of on-static-miss, always, never");
        if (FramesInFlight is < 1 or > 16)
            throw new LabelStampException(ErrorCode.InvalidPolicy, $"frames in flight {FramesInFlight} must be between 1 and 16");
        return this;
    }
}
