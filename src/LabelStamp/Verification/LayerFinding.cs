namespace LabelStamp.Verification;

/// <summary>One row of a verify report: state, a one-line summary, and named details for --json.</summary>
public sealed record LayerFinding(LayerState State, string Summary, IReadOnlyDictionary<string, string>? Details = null)
{
    /// <summary>For a layer that may be found without stating AI origin (C2PA: a camera's manifest is valid
    /// provenance, not an AI label): whether it states it. Null for the layers whose presence is the AI label.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public bool? AiGenerated { get; init; }

    /// <summary>Found (or, for the watermark, present: this key's mark is there even if its ID is not
    /// readable, and the key marks only AI output), and (where the layer says so) stating AI origin:
    /// what counts towards verify's exit code 0.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool CountsAsAiLabel => (State is LayerState.Found or LayerState.Present) && AiGenerated != false;

    public static LayerFinding NotChecked(string why) => new(LayerState.NotChecked, why);
}
