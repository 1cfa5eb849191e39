namespace LabelStamp.Media.Audio.Flac;

/// <summary>One metadata block of a FLAC file (RFC 9639 §8): its type (0 STREAMINFO, 1 PADDING,
/// 2 APPLICATION, 3 SEEKTABLE, 4 VORBIS_COMMENT, 5 CUESHEET, 6 PICTURE, 7–126 reserved) and where its body
/// lies in the file (after the 4-byte block header).</summary>
public readonly record struct FlacMetadataBlock(int Type, int Offset, int Length)
{
    public const int StreamInfo = 0, Padding = 1, Application = 2, SeekTable = 3, VorbisComment = 4, CueSheet = 5, Picture = 6;

    public ReadOnlySpan<byte> Body(ReadOnlySpan<byte> file) => file.Slice(Offset, Length);
}
