namespace LabelStamp.Verification;

/// <summary>One row of a verify report: state, a one-line summary, and named details for --json.</summary>
public sealed record LayerFinding(LayerState State, string Summary, IReadOnlyDictionary<string, string>? Details = null)
{
    public static LayerFinding NotChecked(string why) => new(LayerState.NotChecked, why);
}
