using System.Text;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Ffmpeg;
using LabelStamp.Metadata.Containers;
using LabelStamp.Pipeline;
using LabelStamp.Provenance;

namespace LabelStamp.Formats.Audio;

/// <summary>WAV: RIFF or RF64 form type "WAVE"; the AIGC record in a RIFF "AIGC" chunk written in process (ffmpeg's
/// muxer has no such tag), the C2PA store in a RIFF "C2PA" chunk. The header is checked before ffmpeg sees the file
/// (<see cref="WavHeaderCheck"/>); PCM and float WAV never reach ffmpeg at all (<see cref="WavPcm"/>).</summary>
public sealed class WavModule : MediaContainerModule
{
    public override MediaFormat Format => MediaFormat.Wav;

    public override bool Matches(ReadOnlySpan<byte> b) =>
        b.Length >= 12 && (b.StartsWith("RIFF"u8) || b.StartsWith("RF64"u8)) && b.Slice(8, 4).SequenceEqual("WAVE"u8);

    public override IReadOnlyList<string> ContentTypeAliases => ["audio/x-wav", "audio/wave", "audio/vnd.wave"];

    public override ManifestContainer CreateManifestContainer() => new RiffManifestContainer();

    public override string FfmpegDemuxer => "wav";

    public override string FfmpegMuxer => "wav";

    public override string AigcLocation => "RIFF chunk AIGC";

    public override void CheckHeader(ReadOnlySpan<byte> file, MediaLimits limits, string name) => WavHeaderCheck.Check(file, limits, name);

    /// <summary>The record is a chunk, not a muxer tag; RF64 lets ffmpeg write files past 4 GiB.</summary>
    public override void AddOutputOptions(FfmpegCommand output, string? aigcJson, MediaKind content) => output.Add("-rf64", "auto");

    public override (string? Json, string? Where) ReadAigc(ReadOnlyMemory<byte> file, IReadOnlyDictionary<string, string> probedTags, string name)
    {
        var riff = RiffFile.Parse(file, name);
        int i = riff.IndexOf("AIGC");
        return i < 0 ? (null, null) : (Encoding.UTF8.GetString(riff.Chunks[i].Data.Span).TrimEnd('\0'), AigcLocation);
    }

    public override byte[] WriteAigcInPlace(ReadOnlyMemory<byte> file, string aigcJson, string name)
    {
        var riff = RiffFile.Parse(file, name);
        SetAigc(riff, aigcJson);
        return riff.ToArray();
    }

    /// <summary>GB 45438 for WAV: a RIFF sub-chunk <c>AIGC</c> holding the JSON (UTF-8, which the Annex E character set
    /// makes plain ASCII), placed before the <c>data</c> chunk so readers that stop at the samples still see it; an
    /// existing AIGC chunk is replaced.</summary>
    public static void SetAigc(RiffFile riff, string aigcJson)
    {
        int data = riff.IndexOf("data");
        riff.Set(new RiffChunk("AIGC", Encoding.UTF8.GetBytes(aigcJson)), data < 0 ? riff.Chunks.Count : data);
    }
}
