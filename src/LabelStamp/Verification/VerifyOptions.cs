using LabelStamp.Labels;
using LabelStamp.Pipeline;

namespace LabelStamp.Verification;

/// <summary>How to verify: the watermark key (optional: without it the mark is not checked), extra
/// wordings to look for, the label geometry policy used when stamping, and input limits.</summary>
public sealed record VerifyOptions
{
    public MarkKey? Key { get; init; }
    public IReadOnlyList<LabelWording> Wordings { get; init; } = LabelWording.Known;
    public LabelPolicy Policy { get; init; } = new();
    public MediaLimits Limits { get; init; } = new();

    /// <summary>Attach a <see cref="FramePreview"/> of the frame the visible-label box refers to (video), for the verifier page.</summary>
    public bool Preview { get; init; }

    /// <summary>Roots for C2PA signers and TSAs (<c>--trust-anchors</c>); null: signer trust is reported "not-checked".</summary>
    public Provenance.TrustAnchors? TrustAnchors { get; init; }

    /// <summary>The deadline of the one file being verified; set by <see cref="Verifier"/> per call.</summary>
    public ItemDeadline? Deadline { get; init; }
}
