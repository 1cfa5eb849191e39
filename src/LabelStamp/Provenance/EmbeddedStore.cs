namespace LabelStamp.Provenance;

/// <summary>A file with a manifest store placed in it, and the byte ranges the store occupies (for the data hash).</summary>
public sealed record EmbeddedStore(byte[] File, IReadOnlyList<HashExclusion> Exclusions);
