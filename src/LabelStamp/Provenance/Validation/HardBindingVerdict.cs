namespace LabelStamp.Provenance.Validation;

/// <summary>Which hard binding ties the claim to the asset, whether it holds, and whether it was the parent manifest's.</summary>
internal sealed record HardBindingVerdict(string? Label, bool Valid, bool Inherited);
