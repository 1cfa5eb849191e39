using LabelStamp.Media;

namespace LabelStamp.Formats.Audio;

/// <summary>Ogg (Vorbis, Opus): "OggS" capture pattern. No C2PA embedding is defined for it.</summary>
public sealed class OggModule : FormatModule
{
    public override MediaFormat Format => MediaFormat.Ogg;

    public override string DisplayName => "Ogg";

    public override bool Matches(ReadOnlySpan<byte> b) => b.StartsWith("OggS"u8);

    public override IReadOnlyList<string> ContentTypeAliases => ["audio/opus"];

    public override string FfmpegDemuxer => "ogg";

    public override string FfmpegMuxer => "ogg";
}
