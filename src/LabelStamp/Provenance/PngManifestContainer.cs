using System.Buffers.Binary;
using System.IO.Hashing;
using LabelStamp.Metadata.Containers;

namespace LabelStamp.Provenance;

/// <summary>PNG: the store is the data of one ancillary 'caBX' chunk right after IHDR (C2PA §A.3.3).</summary>
public sealed class PngManifestContainer : ManifestContainer
{
    public const string ChunkType = "caBX";

    public override EmbeddedStore Embed(byte[] file, byte[] store, string name)
    {
        var png = PngFile.Parse(file, name);
        png.Chunks.RemoveAll(c => c.Type == ChunkType);
        png.Chunks.Insert(1, new PngChunk(ChunkType, store));
        long start = 8 + 12 + png.Chunks[0].Data.Length;
        return new EmbeddedStore(png.ToArray(), [new HashExclusion(start, 12 + store.Length)]);
    }

    /// <summary>The chunk's data and its CRC (over type and data) are the whole of what changes; its length
    /// field and type stay.</summary>
    public override EmbeddedStore Refill(byte[] file, EmbeddedStore placed, byte[] store, string name)
    {
        if (SingleRange(placed, store.Length, 12) is not { } e) return Embed(file, store, name);
        int start = (int)e.Start;
        var chunk = placed.File.AsSpan(start, 12 + store.Length);
        store.CopyTo(chunk[8..]);
        BinaryPrimitives.WriteUInt32BigEndian(chunk[(8 + store.Length)..], Crc32.HashToUInt32(chunk.Slice(4, 4 + store.Length)));
        return placed;
    }

    public override byte[]? Extract(byte[] file, string name, int maxStoreBytes = int.MaxValue) =>
        PngFile.Parse(file, name, verifyCrc: false).Chunks.FirstOrDefault(c => c.Type == ChunkType) is { } chunk
            ? Checked(chunk.Data.Span, name, maxStoreBytes)
            : null;
}
