using LabelStamp.Labels;

namespace LabelStamp.Platform;

/// <summary>
/// What <see cref="PlatformPlanner"/> decided for one upload: the case, the evidence behind it, the
/// label to keep (case "kept"), the watermark's mark ID if one was read, and whether the explicit layer
/// already shows a label (then no second notice is drawn).
/// </summary>
public sealed record PlatformPlan(PlatformResult Result, PlatformEvidence Evidence, AigcLabel? ExistingLabel, MarkId? ExistingMark)
{
    public bool Has(PlatformEvidence evidence) => (Evidence & evidence) != 0;
}
