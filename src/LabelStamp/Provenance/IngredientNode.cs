namespace LabelStamp.Provenance;

/// <summary>One ingredient of a C2PA manifest and, when it carries a manifest in the same store, that
/// manifest's own ingredients: the provenance chain as a tree (what the verifier page draws).</summary>
public sealed record IngredientNode(string? Title, string? Relationship, string? Format, string? Manifest, string? ClaimGenerator, string? DigitalSourceType, IReadOnlyList<IngredientNode> Ingredients);
