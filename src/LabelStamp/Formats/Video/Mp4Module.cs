using LabelStamp.Media;
using LabelStamp.Media.Ffmpeg;
using LabelStamp.Metadata.Containers;
using LabelStamp.Provenance;

namespace LabelStamp.Formats.Video;

/// <summary>ISO BMFF movies (MP4, MOV, M4A): an 'ftyp' box first, tried after the BMFF image formats (AVIF, HEIC) whose
/// brands are more specific. Audio-only or video is decided by its tracks (Mp4Tracks). The AIGC record is an mdta key
/// in moov/udta/meta (GB 45438 Annex E placement for MP4); the C2PA store a top-level 'uuid' box bound by a BMFF hash
/// (C2PA §A.4.2).</summary>
public sealed class Mp4Module : MediaContainerModule
{
    public override MediaFormat Format => MediaFormat.Mp4;

    public override string DisplayName => "MP4/MOV/M4A";

    public override bool Matches(ReadOnlySpan<byte> b) => b.Length >= 12 && b.Slice(4, 4).SequenceEqual("ftyp"u8);

    public override IReadOnlyList<string> ContentTypeAliases => ["audio/mp4", "audio/x-m4a", "video/quicktime"];

    public override ManifestContainer CreateManifestContainer() => new BmffManifestContainer();

    public override bool BindsByBmffHash => true;

    /// <summary>ffmpeg's "mov" demuxer reads MP4, MOV and M4A alike.</summary>
    public override string FfmpegDemuxer => "mov";

    public override string FfmpegMuxer => "mp4";

    public override string AigcLocation => "moov/udta/meta keys AIGC";

    public override bool CarriesAttachedPicture => true;

    /// <summary>A QuickTime file (major brand "qt  ") is written back by the "mov" muxer.</summary>
    public override string MuxerFor(ReadOnlySpan<byte> head) =>
        head.Length >= 12 && head.Slice(8, 4).SequenceEqual("qt  "u8) ? "mov" : FfmpegMuxer;

    /// <summary>use_metadata_tags writes moov/udta/meta with an mdta 'keys' entry per tag. A movie always gets it, and
    /// faststart (moov first, for progressive playback); an audio file gets it only with the record and keeps moov
    /// last, so that <see cref="FinishAudioOutput"/> can grow moov without moving the samples.</summary>
    public override void AddOutputOptions(FfmpegCommand output, string? aigcJson, MediaKind content)
    {
        base.AddOutputOptions(output, aigcJson, content);
        if (content == MediaKind.Video) output.Add("-movflags", "+use_metadata_tags+faststart");
        else if (aigcJson is not null) output.Add("-movflags", "+use_metadata_tags");
    }

    /// <summary>ffmpeg drops the <c>covr</c> item when it writes the mdta AIGC key; the input's is copied back.</summary>
    public override byte[] FinishAudioOutput(ReadOnlySpan<byte> input, byte[] output, string aigcJson, string name) =>
        Mp4ItemList.FindItem(input, "covr") is { } cover && Mp4ItemList.FindItem(output, "covr") is null
            ? Mp4ItemList.AppendItems(output, cover) ?? output
            : output;
}
