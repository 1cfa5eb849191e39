namespace LabelStamp.Provenance.Validation;

/// <summary>What the active manifest's assertions say (<see cref="AssertionReader"/>): actions, source type, soft
/// binding, ingredients, the parentOf ingredient's manifest reference and the hard bindings to check.</summary>
internal sealed record AssertionContents
{
    public List<string> Actions { get; } = [];
    public string? DigitalSourceType { get; set; }
    public string? SoftBindingAlgorithm { get; set; }
    public string? SoftBindingMarkId { get; set; }
    public int Ingredients { get; set; }
    /// <summary>The hashed URI of the parentOf ingredient's manifest (the first one), or null.</summary>
    public Dictionary<string, object?>? Parent { get; set; }
    /// <summary>Hard-binding assertions (base label and decoded map) in claim order.</summary>
    public List<(string Label, Dictionary<string, object?>? Map)> HardBindings { get; } = [];
}
