using LabelStamp.Media;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Formats.Audio;

/// <summary>Ogg (Vorbis, Opus): "OggS" capture pattern; the AIGC record a Vorbis comment of the audio stream. No C2PA
/// embedding is defined for it, and ffmpeg's Ogg muxer cannot write a picture stream (docs/audio.md).</summary>
public sealed class OggModule : MediaContainerModule
{
    public override MediaFormat Format => MediaFormat.Ogg;

    public override string DisplayName => "Ogg";

    public override bool Matches(ReadOnlySpan<byte> b) => b.StartsWith("OggS"u8);

    public override IReadOnlyList<string> ContentTypeAliases => ["audio/opus"];

    public override string FfmpegDemuxer => "ogg";

    public override string FfmpegMuxer => "ogg";

    public override string AigcLocation => "Vorbis comment AIGC";

    /// <summary>Ogg keeps its comments per stream, not in a container header. The muxer draws a random serial number
    /// for every logical stream unless told to be bit-exact, which would make a replayed stamp differ from the first
    /// (spec §7: outputs are a function of the input).</summary>
    public override void AddOutputOptions(FfmpegCommand output, string? aigcJson, MediaKind content)
    {
        if (aigcJson is not null) output.Add("-metadata:s:a:0", "AIGC=" + aigcJson);
        output.Add("-fflags", "+bitexact");
    }
}
