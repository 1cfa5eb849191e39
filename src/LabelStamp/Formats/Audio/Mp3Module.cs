using LabelStamp.Media;
using LabelStamp.Provenance;

namespace LabelStamp.Formats.Audio;

/// <summary>MP3: an ID3v2 tag or a bare MPEG audio frame; the C2PA store in an ID3 GEOB frame (C2PA §A.3.6).</summary>
public sealed class Mp3Module : FormatModule
{
    public override MediaFormat Format => MediaFormat.Mp3;

    /// <summary>A bare frame: 11 sync bits, a valid version/layer, a bitrate index that is not "bad".</summary>
    public override bool Matches(ReadOnlySpan<byte> b) =>
        b.StartsWith("ID3"u8)
        || (b.Length >= 4 && b[0] == 0xFF && (b[1] & 0xE0) == 0xE0 && (b[1] & 0x18) != 0x08 && (b[1] & 0x06) != 0
            && (b[2] & 0xF0) != 0xF0 && (b[2] & 0x0C) != 0x0C);

    public override IReadOnlyList<string> ContentTypeAliases => ["audio/mp3"];

    public override ManifestContainer CreateManifestContainer() => new Id3ManifestContainer();

    public override string FfmpegDemuxer => "mp3";

    public override string FfmpegMuxer => "mp3";
}
