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

    /// <summary>Ink height of the persistent corner label as a fraction of the shorter side.</summary>
    public double CornerTextHeightFraction { get; init; } = 0.03;

    /// <summary>Frames being processed at once (besides those in the pipes): bounds memory at a few frames.</summary>
    public int FramesInFlight { get; init; } = 4;

    /// <summary>Scale of the image mark on the luma plane (see <see cref="LumaMarkScaler"/>); lowered
    /// automatically when the frame is too small for detection at that scale.</summary>
    public int MarkScale { get; init; } = 2;

    /// <summary>Strength handed to the image embedder. 4 makes the embedder's PSNR floor (40.3 dB per
    /// frame) the binding limit, i.e. the mark uses the whole fidelity budget: measured on the 540p
    /// sample, strength 2 lost the mark after H.264 CRF 30 and strength 4 kept it, at the same ≈ 41 dB
    /// luma PSNR against the input after encoding (docs/video.md).</summary>
    public double MarkStrength { get; init; } = 4.0;

    /// <summary>The perceptual mask's gain on flat areas; the default is the images' <see cref="Marks.Image.PerceptualMask.FlatGain"/>.
    /// A measurement knob, not a production one: flat areas are where the mark costs the encoder most
    /// (+63–73 % bytes at the same CRF; +27–38 % with 0–0.15), but on smooth footage they also carry it —
    /// at 0.15 or 0 the 720p sample's frames lost the mark under every attack (bench/VIDEO.md, "mark cost").</summary>
    public double MarkFlatGain { get; init; } = Marks.Image.PerceptualMask.FlatGain;

    public string X264Preset { get; init; } = "medium";
    public string X265Preset { get; init; } = "fast";
    /// <summary>libvpx speed (0 slowest … 8); 4 is the usual "good" trade-off for file encodes.</summary>
    public int VpxCpuUsed { get; init; } = 4;

    public VideoLabelOptions Validate()
    {
        if (OpeningSeconds < 2 || OpeningSeconds > 60)
            throw new LabelStampException(ErrorCode.InvalidPolicy, $"opening label duration {OpeningSeconds} s must be between 2 s (GB 45438 §5) and 60 s");
        if (CornerTextHeightFraction < 0.01 || CornerTextHeightFraction > 0.25)
            throw new LabelStampException(ErrorCode.InvalidPolicy, $"corner label height fraction {CornerTextHeightFraction} must be between 0.01 and 0.25");
        if (MarkScale is < 1 or > 4)
            throw new LabelStampException(ErrorCode.InvalidPolicy, $"mark scale {MarkScale} must be between 1 and 4");
        if (!(MarkStrength > 0 && MarkStrength <= 8))
            throw new LabelStampException(ErrorCode.InvalidPolicy, $"mark strength {MarkStrength} must be in (0, 8]");
        if (!(MarkFlatGain >= 0 && MarkFlatGain <= Marks.Image.PerceptualMask.TextureGain))
            throw new LabelStampException(ErrorCode.InvalidPolicy, $"mark flat-area gain {MarkFlatGain} must be in [0, {Marks.Image.PerceptualMask.TextureGain}]");
        if (FramesInFlight is < 1 or > 16)
            throw new LabelStampException(ErrorCode.InvalidPolicy, $"frames in flight {FramesInFlight} must be between 1 and 16");
        return this;
    }
}
