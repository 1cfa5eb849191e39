using LabelStamp.Media;
using LabelStamp.Media.Ffmpeg;
using LabelStamp.Pipeline;

namespace LabelStamp.Formats;

/// <summary>
/// An audio or video container, read and written by ffmpeg with its demuxer and muxer forced (spec §10). Besides
/// what every module says, it owns the container's side of the GB 45438 implicit label (spec §4): where the AIGC
/// record lives, the ffmpeg options that write it as the container's own tag, what ffmpeg cannot do that is then
/// done in process, and the muxer settings the container needs. The audio and video paths ask the module instead
/// of testing which format they hold.
/// </summary>
public abstract class MediaContainerModule : FormatModule
{
    public abstract override string FfmpegDemuxer { get; }

    public abstract override string FfmpegMuxer { get; }

    /// <summary>Where the AIGC record lives, as <c>verify</c> names it (e.g. "ID3v2 TXXX:AIGC").</summary>
    public abstract string AigcLocation { get; }

    /// <summary>The name the input's private copy gets in a workspace (ffmpeg is told the demuxer, so this only has
    /// to be a name the container's own tools recognise).</summary>
    public virtual string WorkspaceExtension => Format.Extension;

    /// <summary>The muxer that writes a file like the one whose first bytes are <paramref name="head"/> back in its own
    /// flavour (a MOV stays MOV, a WebM stays WebM).</summary>
    public virtual string MuxerFor(ReadOnlySpan<byte> head) => FfmpegMuxer;

    /// <summary>Checks the container header against the limits before ffmpeg sees the file; most containers are
    /// checked by the probe instead.</summary>
    public virtual void CheckHeader(ReadOnlySpan<byte> file, MediaLimits limits, string name) { }

    /// <summary>Whether ffmpeg can carry an attached picture (cover art) through this container as a copied stream.</summary>
    public virtual bool CarriesAttachedPicture => false;

    /// <summary>Adds the output options for writing this container: the AIGC record as the container's own tag when
    /// <paramref name="aigcJson"/> is given (a file never holds two: the tag replaces any earlier one), and the
    /// muxer's settings for <paramref name="content"/> (audio-only or video).</summary>
    public virtual void AddOutputOptions(FfmpegCommand output, string? aigcJson, MediaKind content)
    {
        if (aigcJson is not null) output.Add("-metadata", "AIGC=" + aigcJson);
    }

    /// <summary>The AIGC record of a file, from its bytes or from the tags the probe read, with where it was found.</summary>
    public virtual (string? Json, string? Where) ReadAigc(ReadOnlyMemory<byte> file, IReadOnlyDictionary<string, string> probedTags, string name) =>
        probedTags.TryGetValue("AIGC", out string? json) ? (json, AigcLocation) : (null, null);

    /// <summary>A copy of <paramref name="file"/> with its AIGC record set to <paramref name="aigcJson"/> without ffmpeg
    /// and without touching a sample, or null when this container's record can only be written by its muxer.</summary>
    public virtual byte[]? WriteAigcInPlace(ReadOnlyMemory<byte> file, string aigcJson, string name) => null;

    /// <summary>What ffmpeg's audio re-encode could not do, done on its <paramref name="output"/>: the AIGC record
    /// written in place (<see cref="WriteAigcInPlace"/>) and anything else of the input the muxer dropped.</summary>
    public virtual byte[] FinishAudioOutput(ReadOnlySpan<byte> input, byte[] output, string aigcJson, string name) =>
        WriteAigcInPlace(output, aigcJson, name) ?? output;
}
