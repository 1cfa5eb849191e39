namespace LabelStamp.Metadata.Containers;

/// <summary>One PNG chunk: four-letter type and data (length and CRC are computed on write).</summary>
public sealed record PngChunk(string Type, ReadOnlyMemory<byte> Data);
