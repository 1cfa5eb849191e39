using LabelStamp.Pipeline;

namespace LabelStamp.Provenance.Validation;

/// <summary>
/// Step 1 (C2PA §15.5–15.6): the store's structure, the active manifest and its claim. A store without the
/// 'c2pa' superbox, a manifest or a claim map is malformed (LS602); more manifests than the bound is LS603.
/// </summary>
internal static class ClaimParser
{
    public static ActiveClaim Parse(byte[] storeBytes, string name, MetadataLimits limits)
    {
        var store = JumbfBox.Parse(storeBytes, name, limits);
        if (!store.IsSuperBox || store.Label != C2paIds.StoreLabel) throw ManifestErrors.Invalid(name, "does not start with the 'c2pa' superbox");
        var manifests = store.Children.Where(c => c.IsSuperBox).ToList();
        if (manifests.Count == 0) throw ManifestErrors.Invalid(name, "holds no manifest");
        if (manifests.Count > limits.MaxManifests)
            throw ManifestErrors.TooLarge(name, $"holds {manifests.Count} manifests, over the limit of {limits.MaxManifests} (Limits:Metadata:MaxManifests)");
        var manifest = manifests[^1];
        var claimBox = manifest.Children.FirstOrDefault(c => c.Label is C2paIds.ClaimV2Label or C2paIds.ClaimV1Label)
                       ?? throw ManifestErrors.Invalid(name, $"manifest {manifest.Label} has no claim");
        var content = claimBox.Children.FirstOrDefault(c => c.Type == C2paIds.Cbor) ?? throw ManifestErrors.Invalid(name, "claim has no CBOR content");
        var claim = CborTree.Map(CborTree.Decode(content.Data, name, limits)) ?? throw ManifestErrors.Invalid(name, "claim is not a CBOR map");
        return new ActiveClaim(store, manifests, manifest, claimBox, content, claim);
    }

    /// <summary>"name/version" of a claim_generator_info map, or its name alone.</summary>
    public static string? GeneratorText(Dictionary<string, object?>? info)
    {
        string? n = CborTree.Text(info, "name");
        string? v = CborTree.Text(info, "version");
        return n is null ? null : v is null ? n : $"{n}/{v}";
    }
}
