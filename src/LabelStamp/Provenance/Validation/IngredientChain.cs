using LabelStamp.Errors;

namespace LabelStamp.Provenance.Validation;

/// <summary>
/// Step 7 (C2PA §15.11): what the active manifest takes from its parentOf ingredient's manifest, following the chain
/// at most <see cref="MaxDepth"/> deep. Each link is trusted only when the parent's bytes match the hash in the
/// ingredient, which the active claim signature covers.
/// </summary>
internal static class IngredientChain
{
    public const int MaxDepth = 8;

    /// <summary>The digitalSourceType the nearest parent manifest states, for a manifest (e.g. a platform's
    /// c2pa.opened/c2pa.published) that states none of its own.</summary>
    public static string? ParentSourceType(JumbfBox store, Dictionary<string, object?> reference, string? claimAlg, ValidationContext context, int depth)
    {
        if (depth >= MaxDepth) return null;
        var (name, limits, problems) = (context.Name, context.Limits, context.Problems);
        string? url = CborTree.Text(reference, "url");
        var parent = url is null ? null : ManifestLinks.Resolve(store, store, url);
        if (parent is null) { problems.Add($"ingredient.manifest.missing: {url}"); return null; }
        if (C2paHashes.Algorithm(CborTree.Text(reference, "alg") ?? claimAlg) is not { } h || !context.Digests.Matches(parent, CborTree.Bytes(reference, "hash") ?? [], h))
        {
            problems.Add($"ingredient.manifest.mismatch: {url}");
            return null;
        }
        Dictionary<string, object?>? next = null;
        foreach (var assertion in ParentAssertions(parent, context))
        {
            var content = assertion.Children.FirstOrDefault(c => c.Type == C2paIds.Cbor);
            if (content is null) continue;
            string label = ManifestLinks.BaseLabel(assertion.Label ?? "");
            Dictionary<string, object?>? map;
            try { map = CborTree.Map(CborTree.Decode(content.Data, name, limits)); }
            catch (LabelStampException) { continue; } // a broken or oversized parent assertion leaves the active manifest's report intact
            if (label is C2paIds.ActionsV2 or C2paIds.ActionsV1)
            {
                foreach (var a in CborTree.List(map, "actions"))
                    if (CborTree.Text(CborTree.Map(a), "digitalSourceType") is { } type) return type;
            }
            else if (label.StartsWith("c2pa.ingredient", StringComparison.Ordinal) && CborTree.Text(map, "relationship") == "parentOf")
            {
                next ??= ManifestLinks.ManifestReference(map);
            }
        }
        return next is null ? null : ParentSourceType(store, next, claimAlg, context, depth + 1);
    }

    /// <summary>
    /// The hard binding an update manifest inherits: the nearest manifest up its parentOf chain that has one, each
    /// link hash-checked, checked against the asset bytes with that manifest's algorithm.
    /// </summary>
    /// <param name="storeNow">Where the (grown) store sits now: a data hash's store exclusion is stretched to it.</param>
    public static (string? Label, bool Valid) ParentHardBinding(JumbfBox store, Dictionary<string, object?> reference, string? claimAlg, ValidationContext context,
        int depth, HashExclusion? storeNow)
    {
        if (depth >= MaxDepth) return (null, false);
        var (name, limits, problems) = (context.Name, context.Limits, context.Problems);
        string? url = CborTree.Text(reference, "url");
        var parent = url is null ? null : ManifestLinks.Resolve(store, store, url);
        if (parent is null || C2paHashes.Algorithm(CborTree.Text(reference, "alg") ?? claimAlg) is not { } h || !context.Digests.Matches(parent, CborTree.Bytes(reference, "hash") ?? [], h))
        {
            string problem = parent is null ? $"ingredient.manifest.missing: {url}" : $"ingredient.manifest.mismatch: {url}";
            if (!problems.Contains(problem)) problems.Add(problem);
            return (null, false);
        }
        var claimBox = parent.Children.FirstOrDefault(c => c.Label is C2paIds.ClaimV2Label or C2paIds.ClaimV1Label);
        var claimContent = claimBox?.Children.FirstOrDefault(c => c.Type == C2paIds.Cbor);
        var parentClaim = claimContent is null ? null : CborTree.Map(CborTree.Decode(claimContent.Data, name, limits));
        string? parentAlg = CborTree.Text(parentClaim, "alg") ?? claimAlg;
        Dictionary<string, object?>? next = null;
        foreach (var assertion in ParentAssertions(parent, context))
        {
            string label = ManifestLinks.BaseLabel(assertion.Label ?? "");
            var content = assertion.Children.FirstOrDefault(c => c.Type == C2paIds.Cbor);
            if (content is null) continue;
            // As before the split: a parent's boxes hash is not followed (no writer we read puts one under an update manifest).
            bool binding = label is C2paIds.DataHash or C2paIds.BmffHashV1 or C2paIds.BmffHashV2 or C2paIds.BmffHashV3;
            bool ingredient = label.StartsWith("c2pa.ingredient", StringComparison.Ordinal);
            if (!binding && !ingredient) continue;
            var map = CborTree.Map(CborTree.Decode(content.Data, name, limits));
            if (binding) return (label, HardBindingValidator.Check(context, label, map, parentAlg, storeNow));
            if (CborTree.Text(map, "relationship") == "parentOf") next ??= ManifestLinks.ManifestReference(map);
        }
        return next is null ? (null, false) : ParentHardBinding(store, next, parentAlg, context, depth + 1, storeNow);
    }

    private static IReadOnlyList<JumbfBox> ParentAssertions(JumbfBox parent, ValidationContext context)
    {
        var assertions = parent.Child(C2paIds.AssertionStoreLabel)?.Children ?? [];
        if (assertions.Count > context.Limits.MaxAssertionsPerManifest)
            throw ManifestErrors.TooLarge(context.Name, $"parent manifest {parent.Label} holds {assertions.Count} assertions, over the limit of {context.Limits.MaxAssertionsPerManifest} (Limits:Metadata:MaxAssertionsPerManifest)");
        return assertions;
    }
}
