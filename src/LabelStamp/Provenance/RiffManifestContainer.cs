using LabelStamp.Metadata.Containers;

namespace LabelStamp.Provenance;

/// <summary>
/// RIFF (WAV, WebP): the store is a top-level 'C2PA' chunk (C2PA §A.3.6 for RIFF-based formats), appended
/// after the media chunks so no existing offset moves. WebP needs the extended (VP8X) layout to carry
/// chunks other than the bitstream. The exclusion is the chunk header and data, without the pad byte an
/// odd-length chunk carries: c2pa-rs takes the manifest's location to be exactly that (and writes its own
/// exclusions so), reporting <c>assertion.dataHash.mismatch</c> for any other range. The pad byte (zero) and
/// the RIFF size field stay hashed; both are final once the store's length is fixed.
/// </summary>
public sealed class RiffManifestContainer : ManifestContainer
{
    public const string ChunkId = "C2PA";

    public override EmbeddedStore Embed(byte[] file, byte[] store, string name)
    {
        var riff = RiffFile.Parse(file, name);
        riff.Chunks.RemoveAll(c => c.FourCC == ChunkId);
        if (riff.Form == "WEBP") WebpCanvas.EnsureExtended(riff, 0, name);
        riff.Chunks.Add(new RiffChunk(ChunkId, store));
        var output = riff.ToArray();
        long start = output.Length - (store.Length & 1) - 8 - store.Length;
        return new EmbeddedStore(output, [new HashExclusion(start, 8 + store.Length)]);
    }

    /// <summary>The chunk's data is the whole of what changes: its header, pad byte and the RIFF size stay.</summary>
    public override EmbeddedStore Refill(byte[] file, EmbeddedStore placed, byte[] store, string name)
    {
        if (SingleRange(placed, store.Length, 8) is not { } e) return Embed(file, store, name);
        store.CopyTo(placed.File.AsSpan((int)e.Start + 8, store.Length));
        return placed;
    }

    public override byte[]? Extract(byte[] file, string name, int maxStoreBytes = int.MaxValue) =>
        RiffFile.Parse(file, name).Chunks.FirstOrDefault(c => c.FourCC == ChunkId) is { } chunk
            ? Checked(chunk.Data.Span, name, maxStoreBytes)
            : null;
}
