namespace LabelStamp.Metadata.Containers;

/// <summary>One top-level RIFF chunk: FourCC and data (size and pad byte are computed on write).</summary>
public sealed record RiffChunk(string FourCC, ReadOnlyMemory<byte> Data);
