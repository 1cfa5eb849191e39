using LabelStamp.Media;

namespace LabelStamp.Formats.Video;

/// <summary>Matroska and WebM: the EBML magic. No C2PA embedding is defined for it.</summary>
public sealed class MatroskaModule : FormatModule
{
    public override MediaFormat Format => MediaFormat.Matroska;

    public override string DisplayName => "WebM/MKV";

    public override bool Matches(ReadOnlySpan<byte> b) => b.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]);

    public override IReadOnlyList<string> ContentTypeAliases => ["audio/webm", "video/x-matroska", "audio/x-matroska"];

    public override string FfmpegDemuxer => "matroska";

    /// <summary>WebM inputs are written by the "webm" muxer instead (VideoCodecs.Muxer), which enforces its codec subset.</summary>
    public override string FfmpegMuxer => "matroska";
}
