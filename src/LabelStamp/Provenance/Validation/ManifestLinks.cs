namespace LabelStamp.Provenance.Validation;

/// <summary>How manifests point at boxes and at each other: JUMBF URIs, ingredient references, label suffixes.</summary>
internal static class ManifestLinks
{
    /// <summary>Labels may carry an instance suffix ("c2pa.actions.v2__1", C2PA §6.4).</summary>
    public static string BaseLabel(string label)
    {
        int i = label.IndexOf("__", StringComparison.Ordinal);
        return i < 0 ? label : label[..i];
    }

    /// <summary>The hashed URI of an ingredient's manifest (v3 <c>activeManifest</c>, v2 <c>c2pa_manifest</c>).</summary>
    public static Dictionary<string, object?>? ManifestReference(Dictionary<string, object?>? ingredient) =>
        CborTree.Map(ingredient?.GetValueOrDefault("activeManifest")) ?? CborTree.Map(ingredient?.GetValueOrDefault("c2pa_manifest"));

    /// <summary>Resolves "self#jumbf=…" relative to the manifest or absolute ("/c2pa/&lt;manifest&gt;/…") (C2PA §11.2).</summary>
    public static JumbfBox? Resolve(JumbfBox store, JumbfBox manifest, string? url)
    {
        const string prefix = "self#jumbf=";
        if (url is null || !url.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var path = url[prefix.Length..];
        JumbfBox current = manifest;
        if (path.StartsWith("/", StringComparison.Ordinal))
        {
            var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || parts[0] != C2paIds.StoreLabel) return null;
            current = store.Child(parts[1]) ?? null!;
            if (current is null) return null;
            path = string.Join('/', parts.Skip(2));
            if (path.Length == 0) return current;
        }
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = current.Child(part);
            if (next is null) return null;
            current = next;
        }
        return current;
    }
}
