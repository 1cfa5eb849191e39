using LabelStamp.Errors;
using LabelStamp.Pipeline;
using LabelStamp.Provenance.Validation;

namespace LabelStamp.Provenance;

/// <summary>
/// Reads the ingredients of a manifest, and of the manifests they point to in the same store, into
/// <see cref="IngredientNode"/>s for display. Reporting only: validity is <see cref="C2paReader"/>'s job (it
/// checks the parent's hash where the source type depends on it). Bounded by depth and node count, and an
/// assertion that does not decode is shown as an ingredient without detail instead of failing the report.
/// </summary>
public static class IngredientTree
{
    public const int MaxDepth = 8;
    public const int MaxNodes = 64;

    public static IReadOnlyList<IngredientNode> Build(JumbfBox store, JumbfBox manifest, string name, MetadataLimits limits)
    {
        int budget = MaxNodes;
        return Read(store, manifest, name, limits, 0, ref budget, [manifest]);
    }

    private static List<IngredientNode> Read(JumbfBox store, JumbfBox manifest, string name, MetadataLimits limits, int depth, ref int budget, HashSet<JumbfBox> path)
    {
        var nodes = new List<IngredientNode>();
        if (depth >= MaxDepth) return nodes;
        foreach (var assertion in manifest.Child(C2paIds.AssertionStoreLabel)?.Children ?? [])
        {
            if (!(assertion.Label ?? "").StartsWith("c2pa.ingredient", StringComparison.Ordinal)) continue;
            if (budget-- <= 0) break;
            Dictionary<string, object?>? map = null;
            var content = assertion.Children.FirstOrDefault(c => c.Type == C2paIds.Cbor);
            try { if (content is not null) map = CborTree.Map(CborTree.Decode(content.Data, name, limits)); }
            catch (LabelStampException) { }
            string? url = CborTree.Text(ManifestLinks.ManifestReference(map), "url");
            var child = url is null ? null : ManifestLinks.Resolve(store, store, url);
            string? generator = null, sourceType = null;
            List<IngredientNode> children = [];
            if (child is not null && path.Add(child))
            {
                (generator, sourceType) = Describe(child, name, limits);
                children = Read(store, child, name, limits, depth + 1, ref budget, path);
                path.Remove(child);
            }
            nodes.Add(new IngredientNode(CborTree.Text(map, "dc:title") ?? CborTree.Text(map, "title"), CborTree.Text(map, "relationship"),
                CborTree.Text(map, "dc:format") ?? CborTree.Text(map, "format"), child?.Label, generator, sourceType, children));
        }
        return nodes;
    }

    private static (string? Generator, string? SourceType) Describe(JumbfBox manifest, string name, MetadataLimits limits)
    {
        string? generator = null, sourceType = null;
        try
        {
            var claimBox = manifest.Children.FirstOrDefault(c => c.Label is C2paIds.ClaimV2Label or C2paIds.ClaimV1Label);
            var claimContent = claimBox?.Children.FirstOrDefault(c => c.Type == C2paIds.Cbor);
            var claim = claimContent is null ? null : CborTree.Map(CborTree.Decode(claimContent.Data, name, limits));
            generator = ClaimParser.GeneratorText(CborTree.Map(claim?.GetValueOrDefault("claim_generator_info")))
                        ?? CborTree.Text(claim, "claim_generator")
                        ?? ClaimParser.GeneratorText(CborTree.Map(CborTree.List(claim, "claim_generator_info").FirstOrDefault()));
            foreach (var assertion in manifest.Child(C2paIds.AssertionStoreLabel)?.Children ?? [])
            {
                if (!(assertion.Label ?? "").StartsWith("c2pa.actions", StringComparison.Ordinal)) continue;
                var content = assertion.Children.FirstOrDefault(c => c.Type == C2paIds.Cbor);
                var map = content is null ? null : CborTree.Map(CborTree.Decode(content.Data, name, limits));
                foreach (var a in CborTree.List(map, "actions"))
                    sourceType ??= CborTree.Text(CborTree.Map(a), "digitalSourceType");
            }
        }
        catch (LabelStampException) { }
        return (generator, sourceType);
    }
}
