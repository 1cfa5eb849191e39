using System.Buffers.Binary;
using LabelStamp.Errors;
using LabelStamp.Media.Audio.Ogg;

namespace LabelStamp.Media.Audio.Encoders;

/// <summary>What the in-process Ogg encoders take from the head file ffmpeg's muxer wrote (one copied
/// packet of the input with the stamp's tags): the stream's serial number and its comment packet.</summary>
public static class OggHead
{
    /// <summary>The serial number of the head's first page and its second packet, which must start with
    /// <paramref name="magic"/> ("OpusTags", or "\x03vorbis").</summary>
    public static (uint Serial, byte[] Comments) Comments(ReadOnlySpan<byte> head, ReadOnlySpan<byte> magic, string name)
    {
        if (head.Length < 27 || !head.StartsWith("OggS"u8))
            throw new LabelStampException(ErrorCode.ToolFailed, $"{name}: ffmpeg's Ogg head is not an Ogg file");
        uint serial = BinaryPrimitives.ReadUInt32LittleEndian(head[14..]);
        var reader = new OggPacketReader(head.ToArray(), name);
        if (!reader.TryNext(out _) || !reader.TryNext(out var comments) || !comments.Span.StartsWith(magic))
            throw new LabelStampException(ErrorCode.ToolFailed, $"{name}: ffmpeg's Ogg head has no comment packet");
        return (serial, comments.ToArray());
    }
}
