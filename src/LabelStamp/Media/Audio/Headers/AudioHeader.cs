using System.Buffers.Binary;
using LabelStamp.Errors;

namespace LabelStamp.Media.Audio.Headers;

/// <summary>
/// The stream parameters a stamp needs (codec, rate, channels, duration, bitrate, sample format, the
/// AIGC tag), read from the container headers in process: an ffprobe run is a process start-up
/// (≈ 65 ms CPU on Debian's ffmpeg, bench/AUDIO.md), a third of a short FLAC stamp. Each reader gives
/// what ffprobe reports for the same file (same rounding of durations to microseconds, same bitrate
/// source), so the encoder settings and the output are unchanged; it answers null where the headers
/// do not settle the question the way ffprobe would (no length in the header, unusual tag encodings,
/// several streams), and the caller asks ffprobe. Header fields that cannot be true (a zero sample rate,
/// a block running past the end of the file) are typed errors, as ffprobe's refusal would be.
/// </summary>
public static class AudioHeader
{
    /// <summary>The first audio stream's parameters from the headers, or null to ask ffprobe.</summary>
    public static AudioStreamInfo? TryRead(ReadOnlySpan<byte> file, MediaFormat format, string name) => format.Name switch
    {
        "flac" => FlacHeader.TryRead(file, name),
        "mp3" => Mp3Header.TryRead(file, name),
        "ogg" => OggHeader.TryRead(file, name),
        "mp4" => M4aHeader.TryRead(file, name),
        _ => null,
    };

    /// <summary>A duration as ffmpeg states it: rescaled to microseconds, rounding half away from zero
    /// (av_rescale's default), which is what ffprobe's six decimals print.</summary>
    internal static TimeSpan Duration(long units, long unitsPerSecond, string name)
    {
        if (unitsPerSecond <= 0 || units <= 0)
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: duration cannot be determined from the header");
        Int128 us = ((Int128)units * 1_000_000 + unitsPerSecond / 2) / unitsPerSecond;
        if (us == 0) throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: the header states a duration of 0");
        if (us > (Int128)(TimeSpan.MaxValue.TotalSeconds / 2 * 1_000_000))
            throw new LabelStampException(ErrorCode.DurationTooLong, $"{name}: header claims an absurd duration");
        return TimeSpan.FromSeconds((double)(long)us / 1_000_000);
    }

    /// <summary>ffmpeg's container bitrate when no stream states one: file bits over the duration in
    /// microseconds, truncated.</summary>
    internal static long FileBitRate(long fileBytes, TimeSpan duration)
    {
        double us = Math.Round(duration.TotalSeconds * 1_000_000);
        return us > 0 ? (long)(fileBytes * 8.0 * 1_000_000 / us) : 0;
    }

    internal static LabelStampException Truncated(string name, string what) =>
        new(ErrorCode.TruncatedInput, $"{name}: {what} runs past the end of the file");

    internal static LabelStampException Corrupt(string name, string what) =>
        new(ErrorCode.CorruptInput, $"{name}: {what}");

    internal static uint Be32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32BigEndian(b[at..]);
}
