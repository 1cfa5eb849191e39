using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Media.Audio.Flac;

namespace LabelStamp.Formats.Audio;

/// <summary>FLAC: "fLaC" magic; the AIGC record a Vorbis comment. No C2PA embedding is defined for it.</summary>
public sealed class FlacModule : MediaContainerModule
{
    public override MediaFormat Format => MediaFormat.Flac;

    public override bool Matches(ReadOnlySpan<byte> b) => b.StartsWith("fLaC"u8);

    public override IReadOnlyList<string> ContentTypeAliases => ["audio/x-flac"];

    public override string FfmpegDemuxer => "flac";

    public override string FfmpegMuxer => "flac";

    public override string AigcLocation => "Vorbis comment AIGC";

    public override bool CarriesAttachedPicture => true;

    /// <summary>The Vorbis comment's AIGC entry set by our own block reader and writer (<see cref="FlacMetadata"/>):
    /// frames, STREAMINFO, seek table and every other block are kept. Null when the reader refuses the file: ffmpeg's
    /// muxer then writes the record (and decides what it keeps), as before.</summary>
    public override byte[]? WriteAigcInPlace(ReadOnlyMemory<byte> file, string aigcJson, string name)
    {
        var bytes = file.Span;
        FlacMetadata metadata;
        try
        {
            metadata = FlacMetadata.Read(bytes, name);
        }
        catch (LabelStampException e) when (e.Code is ErrorCode.CorruptInput or ErrorCode.TruncatedInput)
        {
            return null;
        }
        byte[] head = metadata.Compose(bytes, metadata.StreamInfoBlock.Body(bytes), aigcJson, vendor: null, keepSeekTable: true);
        var output = new byte[head.Length + bytes.Length - metadata.FramesOffset];
        head.CopyTo(output, 0);
        bytes[metadata.FramesOffset..].CopyTo(output.AsSpan(head.Length));
        return output;
    }
}
