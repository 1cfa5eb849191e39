using LabelStamp.Errors;

namespace LabelStamp.Pipeline;

/// <summary>
/// Hard limits checked from headers before any decode (spec §10: decompression and pixel bombs).
/// Defaults fit a generation provider's output with a wide margin; lower them for untrusted uploads.
/// </summary>
public sealed record MediaLimits
{
    public long MaxBytes { get; init; } = 512L << 20;
    public long MaxPixels { get; init; } = 100_000_000;
    public int MaxDimension { get; init; } = 32_768;
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromHours(4);
    /// <summary>Video frames per file: 4 h at 60 fps. A header claiming more is a frame bomb.</summary>
    public long MaxFrames { get; init; } = 864_000;
    /// <summary>Wall-clock limit for any one external process (ffmpeg).</summary>
    public TimeSpan ToolTimeout { get; init; } = TimeSpan.FromMinutes(30);

    public void CheckBytes(long length, string name)
    {
        if (length > MaxBytes)
            throw new LabelStampException(ErrorCode.InputTooLarge, $"{name}: {length} bytes is over the limit of {MaxBytes} bytes");
    }

    public void CheckPixels(long width, long height, string name)
    {
        if (width <= 0 || height <= 0)
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: header gives an empty image ({width}×{height})");
        if (width > MaxDimension || height > MaxDimension || width * height > MaxPixels)
            throw new LabelStampException(ErrorCode.TooManyPixels,
                $"{name}: header claims {width}×{height} = {width * height / 1e6:0.#} Mpx, over the limit of {MaxPixels / 1e6:0.#} Mpx and {MaxDimension} px a side; refused before decoding");
    }

    public void CheckFrames(long frames, string name)
    {
        if (frames < 0 || frames > MaxFrames)
            throw new LabelStampException(ErrorCode.TooManyFrames, $"{name}: header claims {frames} video frames, over the limit of {MaxFrames}; refused before decoding");
    }

    public void CheckDuration(TimeSpan duration, string name)
    {
        if (duration < TimeSpan.Zero || duration > MaxDuration)
            throw new LabelStampException(ErrorCode.DurationTooLong, $"{name}: duration {duration} is over the limit of {MaxDuration}");
    }
}
