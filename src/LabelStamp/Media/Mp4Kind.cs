using LabelStamp.Errors;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Ffmpeg;
using LabelStamp.Metadata.Containers;

namespace LabelStamp.Media;

/// <summary>
/// The one place that decides whether an ISO BMFF file (which sniffs as MP4 whatever it holds) is
/// audio-only (M4A: the audio path labels and verifies it) or video. The track handlers in
/// <c>moov</c> settle it without a process (<see cref="Mp4Tracks"/>); ffprobe is asked only when the boxes
/// cannot be walked (cut, corrupt) or a video track holds a still-image codec, which ffprobe, like the
/// audio path, treats as cover art. The stamper's router and both inspectors ask here.
/// </summary>
public sealed class Mp4Kind(ToolRunner? tools = null)
{
    private readonly ToolRunner _tools = tools ?? new ToolRunner();

    /// <summary><see cref="MediaKind.Audio"/> for audio and no video track (cover art does not count),
    /// otherwise <see cref="MediaKind.Video"/> (also for a file with no audio stream at all).</summary>
    public async Task<MediaKind> DecideAsync(ReadOnlyMemory<byte> input, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (FromTracks(input.Span) is { } decided) return decided;
        using var ws = await MediaWorkspace.CreateAsync(input, ".m4a", cancellationToken).ConfigureAwait(false);
        try
        {
            var info = await new AudioProbe(_tools).ProbeAsync(ws, MediaFormat.Mp4, name, timeout, cancellationToken).ConfigureAwait(false);
            return info.HasVideo ? MediaKind.Video : MediaKind.Audio;
        }
        catch (LabelStampException e) when (e.Code == ErrorCode.CorruptInput)
        {
            return MediaKind.Video; // no audio stream: not the audio path's
        }
    }

    /// <summary>The answer from the track boxes alone, or null when they do not settle it: unreadable
    /// boxes, no audio or video track, or a video track holding a still-image codec.</summary>
    public static MediaKind? FromTracks(ReadOnlySpan<byte> input)
    {
        if (Mp4Tracks.Read(input) is not { } tracks) return null;
        bool audio = false, video = false;
        foreach (var (handler, format) in tracks)
        {
            if (handler == "soun") audio = true;
            if (handler != "vide") continue;
            if (format is "jpeg" or "png " or "mjpa" or "mjpb" or "gif " or "bmp ") return null;
            video = true;
        }
        return video ? MediaKind.Video : audio ? MediaKind.Audio : null;
    }
}
