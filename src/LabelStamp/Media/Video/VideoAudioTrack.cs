using LabelStamp.Labels;
using LabelStamp.Media.Audio;
using LabelStamp.Pipeline;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Media.Video;

/// <summary>
/// The audio track of a video goes through the audio issue's own code, not a fork of it: when stamping,
/// <see cref="AudioLabeler"/>'s sample processor (rhythm prompt, audio mark) labels the decoded samples
/// and its codec/bitrate rule picks the encoder, inside the video encoder process; when verifying, the
/// stream is copied (no re-encode) into its natural container and read by <see cref="AudioInspector"/>.
/// Codecs the audio path does not encode (AC-3, DTS, …) are kept untouched.
/// </summary>
public sealed class VideoAudioTrack(ToolRunner tools, AudioLabeler labeler, AudioInspector inspector)
{
    /// <summary>The audio format a codec is extracted into, or null when the audio path cannot label it.</summary>
    public static MediaFormat? ContainerFor(string? codec) => codec switch
    {
        "aac" => MediaFormat.Mp4,
        "mp3" => MediaFormat.Mp3,
        "opus" or "vorbis" => MediaFormat.Ogg,
        "flac" => MediaFormat.Flac,
        "pcm_s16le" or "pcm_s24le" or "pcm_s32le" or "pcm_f32le" or "pcm_u8" => MediaFormat.Wav,
        _ => null,
    };

    /// <summary>Copies the first audio stream out of the video workspace; null when its codec is not labelable.</summary>
    public async Task<(byte[] Bytes, MediaFormat Format)?> ExtractAsync(MediaWorkspace workspace, MediaFormat videoFormat, string? codec,
        string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (ContainerFor(codec) is not { } format) return null;
        string path = workspace.PathFor("track" + (format == MediaFormat.Mp4 ? ".m4a" : format.Extension));
        var extract = FfmpegCommand.Ffmpeg().FileInput(VideoProbe.Demuxer(videoFormat), workspace.InputPath)
            .Add("-map", "0:a:0", "-vn", "-c:a", "copy", "-map_metadata", "-1").FileOutput(AudioCodecs.Muxer(format), path);
        await tools.RunFfmpegAsync(extract, timeout, "ffmpeg audio extract", name, cancellationToken).ConfigureAwait(false);
        return (await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), format);
    }

    /// <summary>The audio path's L1 + L3 sample processor for the video's audio stream (null: no layer applies).</summary>
    public Task<PcmPipeline.ChunkProcessor?> CreateSampleProcessorAsync(AudioStreamInfo info, StampContext video, CancellationToken cancellationToken)
    {
        var layers = video.Request.Policy.Layers & (Layers.Explicit | Layers.Watermark);
        var context = video with
        {
            Name = video.Name + " (audio track)",
            Request = video.Request with { Policy = video.Request.Policy with { Layers = layers } },
        };
        return labeler.CreateSampleProcessorAsync(info, context, cancellationToken);
    }

    public Task<AudioReport> InspectAsync(byte[] track, string name, MarkKey? key, MediaLimits limits, CancellationToken cancellationToken) =>
        inspector.InspectAsync(track, name + " (audio track)", key, cancellationToken, limits);
}
