namespace LabelStamp.Provenance.Validation;

/// <summary>
/// The active manifest (the store's last, C2PA §10.1) and its decoded claim: the output of <see cref="ClaimParser"/>
/// and the input of every later step.
/// </summary>
internal sealed record ActiveClaim(JumbfBox Store, IReadOnlyList<JumbfBox> Manifests, JumbfBox Manifest, JumbfBox ClaimBox, JumbfBox Content,
    Dictionary<string, object?> Map)
{
    /// <summary>A v2 claim (<c>c2pa.claim.v2</c>) lists created and gathered assertions and one generator-info map.</summary>
    public bool V2 => ClaimBox.Label == C2paIds.ClaimV2Label;

    /// <summary>The claim's hash algorithm: hashed URIs and hard bindings without their own alg use it (C2PA §15.4).</summary>
    public string? Alg => CborTree.Text(Map, "alg");

    public string? Generator => V2
        ? ClaimParser.GeneratorText(CborTree.Map(Map.GetValueOrDefault("claim_generator_info")))
        : CborTree.Text(Map, "claim_generator") ?? ClaimParser.GeneratorText(CborTree.Map(CborTree.List(Map, "claim_generator_info").FirstOrDefault()));

    public string? Title => CborTree.Text(Map, "dc:title");

    /// <summary>The hashed URIs of the claim's assertions, created (or v1 "assertions") then gathered.</summary>
    public List<object?> AssertionReferences()
    {
        var refs = new List<object?>();
        refs.AddRange(CborTree.List(Map, V2 ? "created_assertions" : "assertions"));
        refs.AddRange(CborTree.List(Map, "gathered_assertions"));
        return refs;
    }
}
