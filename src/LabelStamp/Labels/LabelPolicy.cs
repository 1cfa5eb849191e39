using LabelStamp.Errors;

namespace LabelStamp.Labels;

/// <summary>
/// What to apply and how it looks. Immutable; validated on construction so a bad policy fails at
/// start-up, not on the thousandth file.
/// </summary>
public sealed record LabelPolicy
{
    /// <summary>GB 45438 §5: text height at least 5 % of the shorter side.</summary>
    public const double MinTextHeightFraction = 0.05;

    public Layers Layers { get; init; } = Layers.All;
    public LabelWording Wording { get; init; } = LabelWording.Default;
    public LabelCorner Corner { get; init; } = LabelCorner.BottomRight;

    /// <summary>Ink height of the label text as a fraction of the image's shorter side.</summary>
    public double TextHeightFraction { get; init; } = 0.055;

    /// <summary>Gap between the plate and the image edges, as a fraction of the shorter side.</summary>
    public double InsetFraction { get; init; } = 0.02;

    /// <summary>Opacity of the dark backing plate behind the white text. 0.6 keeps the contrast ratio
    /// ≥ 4.5:1 even over a pure white background (see <see cref="Explicit.LabelContrast"/>).</summary>
    public double PlateOpacity { get; init; } = 0.6;

    /// <summary>A fontconfig family name or a font file path. Noto Sans CJK covers both Chinese and Latin.</summary>
    public string Font { get; init; } = "Noto Sans CJK SC:style=Bold";

    /// <summary>True when a user agreement waived the explicit label (CAC Labeling Measures Art. 9);
    /// recorded in the output event.</summary>
    public bool ExplicitWaivedByAgreement { get; init; }

    /// <summary>Audio (spec §3): a provider-supplied voice clip ("人工智能生成…") placed instead of the
    /// rhythm prompt; null = the rhythm prompt. A path to any audio file ffmpeg decodes, ≤ 15 s.</summary>
    public string? VoiceClip { get; init; }

    /// <summary>Audio: also place the prompt (rhythm or voice clip) at the end, not only at the start.</summary>
    public bool AudioPromptAtEnd { get; init; }

    /// <summary>Label an item that already carries an AIGC record with Label "1" (generated), replacing
    /// that record (GB 45438: exactly one per file). Off by default: such an item was labeled before,
    /// often by another producer, and relabeling it silently would rewrite who made it. A platform keeps
    /// the record instead and adds its own fields (platform mode, spec §8).</summary>
    public bool Restamp { get; init; }

    public LabelPolicy Validate()
    {
        if (TextHeightFraction < MinTextHeightFraction || TextHeightFraction > 0.25)
            throw new LabelStampException(ErrorCode.InvalidPolicy,
                $"text height fraction {TextHeightFraction} must be between {MinTextHeightFraction} (GB 45438 §5) and 0.25");
        if (InsetFraction < 0 || InsetFraction > 0.2)
            throw new LabelStampException(ErrorCode.InvalidPolicy, $"inset fraction {InsetFraction} must be between 0 and 0.2");
        if (PlateOpacity < Explicit.LabelContrast.MinPlateOpacity || PlateOpacity > 1)
            throw new LabelStampException(ErrorCode.InvalidPolicy,
                $"plate opacity {PlateOpacity} is below {Explicit.LabelContrast.MinPlateOpacity:0.###}, the least that keeps contrast ≥ 4.5:1 on a white background");
        if ((Layers & Layers.Explicit) == 0 && !ExplicitWaivedByAgreement)
            throw new LabelStampException(ErrorCode.InvalidPolicy,
                "the explicit layer may be left out only when a user agreement waives the visible label (CAC Labeling Measures Art. 9): add --explicit-waived to say so, or keep explicit in --layers");
        return this;
    }
}
