using System.Buffers.Binary;
using LabelStamp.Errors;
using LabelStamp.Media.Audio.Headers;

namespace LabelStamp.Media.Audio.Flac;

/// <summary>
/// The metadata blocks of an untrusted FLAC file (RFC 9639 §8), read in our process so that a stamp can
/// carry them into its output without ffmpeg: the Vorbis comment (with the AIGC record set, spec §4),
/// pictures, application blocks, cue sheets and reserved types are kept byte for byte and in order.
/// Every length is checked against the file and against the block's own structure before anything is
/// kept, and anything the format forbids (type 127, STREAMINFO not first or not 34 bytes, a second
/// STREAMINFO, VORBIS_COMMENT or SEEKTABLE, a PICTURE whose fields run past its block) is a typed error.
/// </summary>
public sealed class FlacMetadata
{
    /// <summary>More blocks than any real file holds (a tag editor writes a handful): a bound on the walk.</summary>
    public const int MaxBlocks = 4096;

    /// <summary>PADDING written after the kept blocks, the size ffmpeg's muxer leaves, so a tag editor can
    /// grow the comments later without rewriting the audio.</summary>
    public const int OutputPadding = 8192;

    private const int StreamInfoBytes = 34;

    private FlacMetadata(List<FlacMetadataBlock> blocks, int framesOffset)
    {
        Blocks = blocks;
        FramesOffset = framesOffset;
    }

    /// <summary>Every block in file order, STREAMINFO first.</summary>
    public IReadOnlyList<FlacMetadataBlock> Blocks { get; }

    /// <summary>Where the first audio frame starts (just past the last metadata block).</summary>
    public int FramesOffset { get; }

    public FlacMetadataBlock StreamInfoBlock => Blocks[0];

    /// <summary>STREAMINFO's total samples per channel (0: not known to the encoder that wrote it).</summary>
    public long TotalSamples(ReadOnlySpan<byte> file)
    {
        var si = StreamInfoBlock.Body(file);
        return (long)(si[13] & 0x0F) << 32 | BinaryPrimitives.ReadUInt32BigEndian(si[14..]);
    }

    public static FlacMetadata Read(ReadOnlySpan<byte> file, string name)
    {
        if (!file.StartsWith("fLaC"u8)) throw Corrupt(name, "not a FLAC stream (no fLaC marker)");
        var blocks = new List<FlacMetadataBlock>();
        bool comment = false, seekTable = false;
        int at = 4;
        while (true)
        {
            if (blocks.Count == MaxBlocks) throw Corrupt(name, $"FLAC header has more than {MaxBlocks} metadata blocks");
            if (at > file.Length - 4) throw AudioHeader.Truncated(name, "the FLAC metadata");
            byte head = file[at];
            int type = head & 0x7F;
            int length = file[at + 1] << 16 | file[at + 2] << 8 | file[at + 3];
            at += 4;
            if (length > file.Length - at) throw AudioHeader.Truncated(name, "a FLAC metadata block");
            if (type == 127) throw Corrupt(name, "FLAC metadata block of the forbidden type 127");
            if ((type == FlacMetadataBlock.StreamInfo) != (blocks.Count == 0))
                throw Corrupt(name, "FLAC STREAMINFO must be the first metadata block and appear once");
            if (type == FlacMetadataBlock.StreamInfo && length != StreamInfoBytes)
                throw Corrupt(name, $"FLAC STREAMINFO is {length} bytes, not {StreamInfoBytes}");
            if (type == FlacMetadataBlock.VorbisComment && !Once(ref comment)) throw Corrupt(name, "FLAC file has two VORBIS_COMMENT blocks");
            if (type == FlacMetadataBlock.SeekTable && !Once(ref seekTable)) throw Corrupt(name, "FLAC file has two SEEKTABLE blocks");
            var block = new FlacMetadataBlock(type, at, length);
            if (type == FlacMetadataBlock.VorbisComment) VorbisCommentList.Entries(block.Body(file), name);
            if (type == FlacMetadataBlock.Picture) CheckPicture(block.Body(file), name);
            blocks.Add(block);
            at += length;
            if ((head & 0x80) != 0) break;
        }
        return new FlacMetadata(blocks, at);
    }

    /// <summary>
    /// The metadata of a stamp's output: "fLaC", <paramref name="streamInfo"/> (the encoder's), every block of
    /// this file but STREAMINFO, SEEKTABLE (its byte offsets point into frames the encoder rewrote) and
    /// PADDING, its Vorbis comment with the AIGC record set to <paramref name="aigcJson"/> (kept as it is when
    /// null; a comment block is added after the others when the file has none) and the vendor string
    /// <paramref name="vendor"/>, then <see cref="OutputPadding"/> bytes of PADDING, the last block.
    /// <paramref name="keepSeekTable"/>: the frames are this file's own (a metadata-only rewrite), so its
    /// seek points still hold.
    /// </summary>
    public byte[] Compose(ReadOnlySpan<byte> file, ReadOnlySpan<byte> streamInfo, string? aigcJson, string? vendor, bool keepSeekTable = false)
    {
        if (streamInfo.Length != StreamInfoBytes) throw new ArgumentException("STREAMINFO is 34 bytes", nameof(streamInfo));
        using var output = new MemoryStream();
        output.Write("fLaC"u8);
        WriteBlock(output, FlacMetadataBlock.StreamInfo, streamInfo, last: false);
        bool comment = false;
        foreach (var block in Blocks)
        {
            switch (block.Type)
            {
                case FlacMetadataBlock.StreamInfo or FlacMetadataBlock.Padding:
                    continue;
                case FlacMetadataBlock.SeekTable when !keepSeekTable:
                    continue;
                case FlacMetadataBlock.VorbisComment:
                    comment = true;
                    WriteBlock(output, block.Type, VorbisCommentList.WithAigc(block.Body(file), aigcJson, vendor, "FLAC comment"), last: false);
                    break;
                default:
                    WriteBlock(output, block.Type, block.Body(file), last: false);
                    break;
            }
        }
        if (!comment && (aigcJson is not null || vendor is not null))
            WriteBlock(output, FlacMetadataBlock.VorbisComment, VorbisCommentList.WithAigc([], aigcJson, vendor, "FLAC comment"), last: false);
        WriteBlock(output, FlacMetadataBlock.Padding, new byte[OutputPadding], last: true);
        return output.ToArray();
    }

    private static void WriteBlock(Stream output, int type, ReadOnlySpan<byte> body, bool last)
    {
        // A block's length field has 24 bits; a comment grown past it cannot be written (RFC 9639 §8.1).
        if (body.Length > 0xFFFFFF) throw new LabelStampException(ErrorCode.CorruptInput, $"a FLAC metadata block would exceed 16 MiB ({body.Length} bytes)");
        Span<byte> head = [(byte)((last ? 0x80 : 0) | type), (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length];
        output.Write(head);
        output.Write(body);
    }

    /// <summary>PICTURE (RFC 9639 §8.8): type, MIME length + bytes, description length + bytes, width, height,
    /// depth, colours, data length + bytes; the lengths must add up to the block's.</summary>
    private static void CheckPicture(ReadOnlySpan<byte> body, string name)
    {
        int at = 4;
        at = SkipString(body, at, name);
        at = SkipString(body, at, name);
        at += 16;
        at = SkipString(body, at, name);
        if (at != body.Length) throw Corrupt(name, "a FLAC PICTURE block's fields do not fill it");
    }

    private static int SkipString(ReadOnlySpan<byte> body, int at, string name)
    {
        if (at > body.Length - 4) throw Corrupt(name, "a FLAC PICTURE block is cut short");
        uint length = BinaryPrimitives.ReadUInt32BigEndian(body[at..]);
        if (length > (uint)(body.Length - at - 4)) throw Corrupt(name, "a FLAC PICTURE field runs past its block");
        return at + 4 + (int)length;
    }

    private static bool Once(ref bool seen)
    {
        if (seen) return false;
        seen = true;
        return true;
    }

    private static LabelStampException Corrupt(string name, string what) => new(ErrorCode.CorruptInput, $"{name}: {what}");
}
