using LabelStamp.Metadata.Containers;

namespace LabelStamp.Provenance;

/// <summary>
/// RIFF (WAV, WebP): the store is a top-level 'C2PA' chunk (C2PA §A.3.6 for RIFF-based formats), appended
/// after the media chunks so no existing offset moves. WebP needs the extended (VP8X) layout to carry
/// chunks other than the bitstream.
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
        long length = 8 + store.Length + (store.Length & 1);
        return new EmbeddedStore(output, [new HashExclusion(output.Length - length, length)]);
    }

    public override byte[]? Extract(byte[] file, string name) =>
        RiffFile.Parse(file, name).Chunks.FirstOrDefault(c => c.FourCC == ChunkId)?.Data.ToArray();
}
