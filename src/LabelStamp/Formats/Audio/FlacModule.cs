using LabelStamp.Media;

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
}
