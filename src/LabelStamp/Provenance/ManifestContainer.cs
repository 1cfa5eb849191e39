using LabelStamp.Errors;

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

    /// <summary>
    /// The file <see cref="Embed"/> would make from <paramref name="file"/> and <paramref name="store"/>, given
    /// <paramref name="placed"/>: the same file already made with a placeholder of the same length. A container whose
    /// store's bytes (and what is derived from them: a chunk CRC, segment headers) all lie inside the exclusion
    /// overwrites them there, in <paramref name="placed"/>'s own array, instead of parsing and copying the whole
    /// file again (the writer signs a 10 MB PNG with one copy of it, not two). By default, <see cref="Embed"/>.
    /// </summary>
    public virtual EmbeddedStore Refill(byte[] file, EmbeddedStore placed, byte[] store, string name) => Embed(file, store, name);

    /// <summary>The single exclusion of <paramref name="placed"/> when it spans <paramref name="overhead"/> +
    /// <paramref name="storeLength"/> bytes inside the file; else null (the caller embeds afresh).</summary>
    protected static HashExclusion? SingleRange(EmbeddedStore placed, int storeLength, int overhead) =>
        placed.Exclusions is [var e] && e.Length == overhead + (long)storeLength && e.Start >= 0 && e.Start + e.Length <= placed.File.Length ? e : null;

    /// <summary>The embedded manifest store, or null when the file has none. A store over
    /// <paramref name="maxStoreBytes"/> is refused (LS603) before it is copied or, in a JPEG, put
    /// together from its APP11 segments: a file of 4,000 segments of 60 KB would otherwise cost a
    /// second copy of itself.</summary>
    public abstract byte[]? Extract(byte[] file, string name, int maxStoreBytes = int.MaxValue);

    /// <summary>The LS603 error for a store of <paramref name="bytes"/> over <paramref name="maxStoreBytes"/>.</summary>
    protected static LabelStampException TooLarge(string name, long bytes, int maxStoreBytes) =>
        new(ErrorCode.ManifestTooLarge,
            $"{name}: C2PA manifest store of {bytes} bytes is over the limit of {maxStoreBytes} (Limits:Metadata:MaxManifestStoreBytes)");

    /// <summary>The bytes, after checking them against the limit.</summary>
    protected static byte[] Checked(ReadOnlySpan<byte> store, string name, int maxStoreBytes) =>
        store.Length > maxStoreBytes ? throw TooLarge(name, store.Length, maxStoreBytes) : store.ToArray();

    /// <summary>Where the store sits now, as one byte range, for formats whose data hash excludes it by offset; null
    /// where not known. An update manifest grows the store in place, so the range its parent's data hash excluded
    /// is now longer.</summary>
    public virtual HashExclusion? Locate(byte[] file, string name) => null;
}
