using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Provenance;

namespace LabelStamp.Pipeline;

/// <summary>What a media labeler needs for one item: name for errors, the request, key, mark and AIGC record.</summary>
public sealed record StampContext(
    string Name,
    MediaFormat Format,
    StampRequest Request,
    MarkKey Key,
    MarkId MarkId,
    AigcLabel Aigc,
    MediaLimits Limits,
    StageTimings Timings)
{
    /// <summary>What a C2PA manifest signed for this item states: a provider's creation, or a platform's publication.</summary>
    public ManifestPurpose ManifestPurpose { get; init; } = ManifestPurpose.Creation;

    /// <summary>A manifest store the input carried, read before labeling re-encoded the bytes (null: none, or not read).</summary>
    public PriorManifest? PriorManifest { get; init; }

    /// <summary>Whether the labeled bytes carry the invisible watermark (set once the labeler has run:
    /// it may skip the layer, e.g. audio below 16 kHz). A C2PA manifest states the watermark as a soft
    /// binding only when it is there.</summary>
    public bool WatermarkApplied { get; init; } = true;

    /// <summary>This item's deadline: adapters raise it once a probe knows the real work (frames, seconds).</summary>
    public ItemDeadline? Deadline { get; init; }

    /// <summary>Layers the policy asked for that an adapter could not apply readably, with the reason
    /// (shared by every copy of this context: one item, one list).</summary>
    public IList<LayerNotice> Notices { get; init; } = new List<LayerNotice>();
}
