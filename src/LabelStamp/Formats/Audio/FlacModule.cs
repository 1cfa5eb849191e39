using LabelStamp.Media;

namespace LabelStamp.Formats.Audio;

/// <summary>FLAC: "fLaC" magic. No C2PA embedding is defined for it.</summary>
public sealed class FlacModule : FormatModule
{
    public override MediaFormat Format => MediaFormat.Flac;

    public override bool Matches(ReadOnlySpan<byte> b) => b.StartsWith("fLaC"u8);

    public override IReadOnlyList<string> ContentTypeAliases => ["audio/x-flac"];

    public override string FfmpegDemuxer => "flac";

    public override string FfmpegMuxer => "flac";
}
