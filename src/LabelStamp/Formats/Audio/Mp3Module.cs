using LabelStamp.Media;
using LabelStamp.Media.Ffmpeg;
using LabelStamp.Provenance;

namespace LabelStamp.Formats.Audio;

/// <summary>MP3: an ID3v2 tag or a bare MPEG audio frame; the AIGC record an ID3v2 TXXX frame, the C2PA store an ID3
/// GEOB frame (C2PA §A.3.6).</summary>
public sealed class Mp3Module : MediaContainerModule
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

    public override string AigcLocation => "ID3v2 TXXX:AIGC";

    public override bool CarriesAttachedPicture => true;

    /// <summary>ID3v2.4 (UTF-8 text frames), and a Xing header so players seek and show the duration of VBR output.</summary>
    public override void AddOutputOptions(FfmpegCommand output, string? aigcJson, MediaKind content)
    {
        base.AddOutputOptions(output, aigcJson, content);
        output.Add("-id3v2_version", "4", "-write_xing", "1");
    }
}
