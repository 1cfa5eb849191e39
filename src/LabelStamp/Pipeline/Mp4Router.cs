using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Video;

namespace LabelStamp.Pipeline;

/// <summary>
/// ISO BMFF files sniff alike whether they hold video or only audio (M4A). This labeler reads the track
/// handlers (<see cref="Mp4Kind"/>: moov boxes first, ffprobe only when they do not settle it) and hands
/// audio-only files to the audio path and files with a video track to the video path.
/// </summary>
public sealed class Mp4Router(Mp4Kind kind, AudioLabeler audio, VideoLabeler video) : IMediaLabeler
{
    public bool Handles(MediaFormat format) => format == MediaFormat.Mp4;

    public async Task<(byte[] Output, Layers Applied)> LabelAsync(ReadOnlyMemory<byte> input, StampContext context, CancellationToken cancellationToken)
    {
        if (await kind.DecideAsync(input, context.Name, context.Limits.ToolTimeout, cancellationToken).ConfigureAwait(false) == MediaKind.Audio)
            return await audio.LabelAsync(input, context, cancellationToken).ConfigureAwait(false);
        return await video.LabelAsync(input, context, cancellationToken).ConfigureAwait(false);
    }
}
