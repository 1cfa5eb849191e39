namespace LabelStamp.Provenance.Validation;

/// <summary>
/// Step 5: decodes the claimed assertions the report states (C2PA §18): actions and their digitalSourceType, the
/// soft binding (our watermark's mark ID), ingredients (bounded, the parentOf one remembered) and hard bindings.
/// </summary>
internal static class AssertionReader
{
    public static AssertionContents Read(ActiveClaim claim, IReadOnlyList<HashedAssertion> assertions, ValidationContext context)
    {
        var contents = new AssertionContents();
        // Each box is read once, however often the claim names it: decoding it per reference would cost
        // references × bytes (and repeat its actions in the report).
        var read = new HashSet<JumbfBox>();
        foreach (var (label, box) in assertions)
        {
            if (!read.Add(box)) continue;
            string baseLabel = ManifestLinks.BaseLabel(label);
            var content = box.Children.FirstOrDefault(c => c.Type == C2paIds.Cbor);
            var map = content is null ? null : CborTree.Map(CborTree.Decode(content.Data, context.Name, context.Limits));
            switch (baseLabel)
            {
                case C2paIds.ActionsV2 or C2paIds.ActionsV1:
                    foreach (var a in CborTree.List(map, "actions"))
                    {
                        var am = CborTree.Map(a);
                        if (CborTree.Text(am, "action") is { } act) contents.Actions.Add(act);
                        contents.DigitalSourceType ??= CborTree.Text(am, "digitalSourceType");
                    }
                    break;
                case C2paIds.DataHash or C2paIds.BmffHashV2 or C2paIds.BmffHashV3 or C2paIds.BmffHashV1 or C2paIds.BoxesHash:
                    contents.HardBindings.Add((baseLabel, map));
                    break;
                case C2paIds.SoftBinding:
                    contents.SoftBindingAlgorithm = CborTree.Text(map, "alg");
                    var block = CborTree.Map(CborTree.List(map, "blocks").FirstOrDefault());
                    if (contents.SoftBindingAlgorithm == C2paIds.WatermarkAlgorithm) contents.SoftBindingMarkId = CborTree.Text(block, "value");
                    break;
                default:
                    if (baseLabel.StartsWith("c2pa.ingredient", StringComparison.Ordinal))
                    {
                        if (++contents.Ingredients > context.Limits.MaxIngredientsPerManifest)
                            throw ManifestErrors.TooLarge(context.Name, $"manifest {claim.Manifest.Label} has more than {context.Limits.MaxIngredientsPerManifest} ingredients (Limits:Metadata:MaxIngredientsPerManifest)");
                        if (CborTree.Text(map, "relationship") == "parentOf") contents.Parent ??= ManifestLinks.ManifestReference(map);
                    }
                    break;
            }
        }
        return contents;
    }
}
