using LabelStamp.Media.Audio;

namespace LabelStamp.Media.Video;

/// <summary>
/// What ffprobe said about a video file, already checked against the limits: the first real video
/// stream (display orientation: a ±90° rotation swaps <see cref="Width"/> and <see cref="Height"/>,
/// because ffmpeg decodes upright), the first audio stream if any, and the container's tags.
/// </summary>
public sealed record VideoStreamInfo(
    string Codec,
    int Width,
    int Height,
    string PixelFormat,
    string FrameRate,
    double FramesPerSecond,
    long Frames,
    TimeSpan Duration,
    long VideoBitRate,
    string? ColorRange,
    string? ColorSpace,
    string? ColorPrimaries,
    string? ColorTransfer,
    string? AudioCodec,
    long AudioBitRate,
    string Muxer,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>Bytes of one yuv420p frame (even sides, so chroma is exactly a quarter of luma).</summary>
    public int FrameBytes => Width * Height * 3 / 2;

    /// <summary>Full-range ("pc"/"jpeg") luma maps 0–255; everything else is video range 16–235.</summary>
    public bool FullRange => ColorRange is "pc" or "jpeg" || PixelFormat.StartsWith("yuvj", StringComparison.Ordinal);

    public bool HasAudio => AudioCodec is not null;

    /// <summary>WebM allows only its own codecs (VP8/VP9/AV1, Opus/Vorbis): the encoder choice follows.</summary>
    public bool IsWebM => Muxer == "webm";

    /// <summary>The first audio stream in the audio path's terms (rate, channels, bitrate), or null.</summary>
    public AudioStreamInfo? Audio { get; init; }

    /// <summary>Bits per pixel per frame: the input's quality signal used by <see cref="VideoCodecs"/>.</summary>
    public double BitsPerPixel => VideoBitRate > 0 && FramesPerSecond > 0
        ? VideoBitRate / ((double)Width * Height * FramesPerSecond)
        : double.NaN;
}
