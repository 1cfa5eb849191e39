using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Pipeline;

namespace LabelStamp.Platform;

/// <summary>
/// The result of platform mode for one upload: the bytes to publish (the input itself for
/// <see cref="PlatformResult.None"/>), the label now in them, the layers changed, the notice drawn, and
/// what the event records (spec §2: whether the explicit layer was waived by policy).
/// </summary>
public sealed record PlatformOutcome(
    PlatformResult Result,
    PlatformEvidence Evidence,
    byte[] Output,
    MediaFormat Format,
    AigcLabel? Aigc,
    MarkId? MarkId,
    Layers Applied,
    LabelWording? Notice,
    bool ExplicitWaived,
    StageTimings Timings)
{
    /// <summary>The ContentPropagator the kept label had before this platform wrote its own (Annex E has one slot).</summary>
    public string? PreviousPropagator { get; init; }
}
