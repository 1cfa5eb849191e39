namespace LabelStamp.Provenance;

/// <summary>
/// Where a format carries its C2PA manifest store (C2PA Appendix A, "Embedding manifests into assets").
/// One subclass per container. Embedding replaces any store already there; the writer reads that store
/// first so it is kept as an ingredient rather than dropped.
/// </summary>
public abstract class ManifestContainer
{
    /// <summary>Places <paramref name="store"/> in <paramref name="file"/>, removing any earlier C2PA store.
    /// The layout depends only on the store's length, so a same-length store can be embedded again.</summary>
    public abstract EmbeddedStore Embed(byte[] file, byte[] store, string name);

    /// <summary>The embedded manifest store, or null when the file has none.</summary>
    public abstract byte[]? Extract(byte[] file, string name);

    /// <summary>Where the store sits now, as one byte range, for formats whose data hash excludes it by offset; null
    /// where not known. An update manifest grows the store in place, so the range its parent's data hash excluded
    /// is now longer.</summary>
    public virtual HashExclusion? Locate(byte[] file, string name) => null;
}
