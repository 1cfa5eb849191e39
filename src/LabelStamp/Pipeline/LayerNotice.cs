using LabelStamp.Labels;

namespace LabelStamp.Pipeline;

/// <summary>A layer the policy asked for that this item does not carry, and why (e.g. an image too small
/// for a readable watermark): the stamp line, the worker's headers and the C2PA manifest leave it out.</summary>
public sealed record LayerNotice(Layers Layer, string Reason)
{
    public override string ToString() => $"{LayersText.Format(Layer)} not applied: {Reason}";
}
