using LabelStamp.Media;
using LabelStamp.Provenance;

namespace LabelStamp.Formats.Audio;

/// <summary>WAV: RIFF or RF64 form type "WAVE"; the C2PA store in a RIFF "C2PA" chunk. Its codec settings and header
/// check live with the audio path (AudioCodecs, WavHeaderCheck).</summary>
public sealed class WavModule : FormatModule
{
    public override MediaFormat Format => MediaFormat.Wav;

    public override bool Matches(ReadOnlySpan<byte> b) =>
        b.Length >= 12 && (b.StartsWith("RIFF"u8) || b.StartsWith("RF64"u8)) && b.Slice(8, 4).SequenceEqual("WAVE"u8);

    public override IReadOnlyList<string> ContentTypeAliases => ["audio/x-wav", "audio/wave", "audio/vnd.wave"];

    public override ManifestContainer CreateManifestContainer() => new RiffManifestContainer();

    public override string FfmpegDemuxer => "wav";

    public override string FfmpegMuxer => "wav";
}
