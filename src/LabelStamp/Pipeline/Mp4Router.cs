using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Audio;

namespace LabelStamp.Pipeline;

/// <summary>
/// ISO BMFF files sniff alike whether they hold video or only audio (M4A). This labeler probes the
/// streams and hands audio-only files to the audio path; files with video are refused with a clear
/// error until this build has a video labeler.
/// </summary>
public sealed class Mp4Router(AudioLabeler audio) : IMediaLabeler
{
    public bool Handles(MediaFormat format) => format == MediaFormat.Mp4;

    public async Task<(byte[] Output, Layers Applied)> LabelAsync(ReadOnlyMemory<byte> input, StampContext context, CancellationToken cancellationToken)
    {
        if (await audio.IsAudioOnlyMp4Async(input, context.Name, context.Limits.ToolTimeout, cancellationToken).ConfigureAwait(false))
            return await audio.LabelAsync(input, context, cancellationToken).ConfigureAwait(false);
        throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{context.Name}: MP4 with a video track; video labeling is not in this build yet");
    }
}
