using LabelStamp.Media;
using LabelStamp.Provenance;

namespace LabelStamp.Formats.Video;

/// <summary>ISO BMFF movies (MP4, MOV, M4A): an 'ftyp' box first, tried after the BMFF image formats (AVIF, HEIC) whose
/// brands are more specific. Audio-only or video is decided by its tracks (Mp4Tracks). The C2PA store is a top-level
/// 'uuid' box bound by a BMFF hash (C2PA §A.4.2).</summary>
public sealed class Mp4Module : FormatModule
{
    public override MediaFormat Format => MediaFormat.Mp4;

    public override string DisplayName => "MP4/MOV/M4A";

    public override bool Matches(ReadOnlySpan<byte> b) => b.Length >= 12 && b.Slice(4, 4).SequenceEqual("ftyp"u8);

    public override IReadOnlyList<string> ContentTypeAliases => ["audio/mp4", "audio/x-m4a", "video/quicktime"];

    public override ManifestContainer CreateManifestContainer() => new BmffManifestContainer();

    public override bool BindsByBmffHash => true;

    /// <summary>ffmpeg's "mov" demuxer reads MP4, MOV and M4A alike; "mp4" is the muxer (MOV inputs keep "mov", VideoCodecs.Muxer).</summary>
    public override string FfmpegDemuxer => "mov";

    public override string FfmpegMuxer => "mp4";
}
