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
    /// <summary>Pixels of a lossless WebP whose visible label and watermark <c>verify</c> checks. Lossless
    /// WebP (VP8L) can only be decoded whole (its transforms and back-references span the frame), which at
    /// 100 MP is two full-frame copies, beyond verify's 512 MiB; above this the two pixel layers are
    /// reported "not checked" and the metadata and C2PA layers are still read.</summary>
    public long MaxVerifyLosslessWebpPixels { get; init; } = 64_000_000;
    /// <summary>Wall-clock limit for any one external process (ffmpeg).</summary>
    public TimeSpan ToolTimeout { get; init; } = TimeSpan.FromMinutes(30);
    /// <summary>Bounds on the XMP and C2PA metadata read from a file (size, nesting, counts).</summary>
    public MetadataLimits Metadata { get; init; } = new();
    /// <summary>Audio sample rates the audio path accepts, in Hz. Below 8 kHz is no real recording (telephony is
    /// 8 kHz), and rates of a few Hz make every per-second buffer empty; above 384 kHz is no real converter.</summary>
    public int MinSampleRate { get; init; } = 8_000;
    public int MaxSampleRate { get; init; } = 384_000;
    /// <summary>Audio channels the audio path accepts (7.1 is 8).</summary>
    public int MaxChannels { get; init; } = 8;

    /// <summary>Refuses limits that cannot work (non-positive, an empty sample-rate range, a deadline cap below
    /// its floor), at start-up (worker configuration, CLI flags).</summary>
    public MediaLimits Validate()
    {
        if (MaxBytes <= 0 || MaxPixels <= 0 || MaxDimension <= 0 || MaxDuration <= TimeSpan.Zero || MaxFrames <= 0 || ToolTimeout <= TimeSpan.Zero || MaxVerifyLosslessWebpPixels <= 0)
            throw new LabelStampException(ErrorCode.InvalidArgument, "media limits (Limits:MaxBytes, MaxPixels, MaxDimension, MaxDuration, MaxFrames, ToolTimeout, MaxVerifyLosslessWebpPixels) must all be positive");
        if (MinSampleRate < 1 || MaxSampleRate < MinSampleRate || MaxSampleRate > 10_000_000)
            throw new LabelStampException(ErrorCode.InvalidArgument, $"audio sample-rate limits {MinSampleRate}..{MaxSampleRate} Hz must satisfy 1 <= MinSampleRate <= MaxSampleRate <= 10 MHz");
        if (MaxChannels is < 1 or > 64)
            throw new LabelStampException(ErrorCode.InvalidArgument, $"audio channel limit {MaxChannels} must be between 1 and 64");
        if (DeadlineFloor <= TimeSpan.Zero || DeadlineCap < DeadlineFloor)
            throw new LabelStampException(ErrorCode.InvalidArgument, $"deadline limits: Limits:DeadlineFloor ({DeadlineFloor}) must be positive and Limits:DeadlineCap ({DeadlineCap}) not below it");
        if (DeadlinePerMebibyte < TimeSpan.Zero || DeadlinePerVideoMegapixel < TimeSpan.Zero || DeadlinePerAudioSecond < TimeSpan.Zero)
            throw new LabelStampException(ErrorCode.InvalidArgument, "deadline limits: the per-MiB, per-megapixel and per-second allowances must not be negative");
        Metadata.Validate();
        return this;
    }

    // The per-item deadline (ItemDeadline): floor + size, raised by the probed work, never past the cap.
    // The floor covers start-up costs (a few process launches, a C2PA signature); the per-unit figures
    // are several times what this machine measures (bench/VIDEO.md, bench/AUDIO.md), so only a stuck or
    // pathological item reaches them.

    /// <summary>What every item gets, however small.</summary>
    public TimeSpan DeadlineFloor { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Added per MiB of input, before anything is probed.</summary>
    public TimeSpan DeadlinePerMebibyte { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Added per megapixel of every video frame (1080p ≈ 2 MP: 0.15 s a frame, ≈ 5× a 2-core stamp).</summary>
    public TimeSpan DeadlinePerVideoMegapixel { get; init; } = TimeSpan.FromMilliseconds(75);
    /// <summary>Added per second of audio (a stamp runs at ≥ 50× real time).</summary>
    public TimeSpan DeadlinePerAudioSecond { get; init; } = TimeSpan.FromMilliseconds(100);
    /// <summary>No item runs longer than this, whatever its size.</summary>
    public TimeSpan DeadlineCap { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>A budget within [<see cref="DeadlineFloor"/>, <see cref="DeadlineCap"/>].</summary>
    public TimeSpan ClampDeadline(TimeSpan budget) => budget < DeadlineFloor ? DeadlineFloor : budget > DeadlineCap ? DeadlineCap : budget;

    /// <summary>The time the work of <paramref name="frames"/> frames of <paramref name="width"/>×<paramref name="height"/> is allowed.</summary>
    public TimeSpan VideoWork(long frames, int width, int height) => DeadlinePerVideoMegapixel * (frames * (double)width * height / 1e6);

    /// <summary>The time the work of <paramref name="duration"/> of audio is allowed.</summary>
    public TimeSpan AudioWork(TimeSpan duration) => DeadlinePerAudioSecond * Math.Max(0, duration.TotalSeconds);


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

    /// <summary>Sample rate and channel count of an audio stream, from its header or probe, before any decode:
    /// everything downstream sizes buffers and divides by them.</summary>
    public void CheckAudio(long sampleRate, long channels, string name)
    {
        if (sampleRate < MinSampleRate || sampleRate > MaxSampleRate)
            throw new LabelStampException(ErrorCode.AudioParametersOutOfRange,
                $"{name}: header gives a sample rate of {sampleRate} Hz, outside the supported {MinSampleRate}..{MaxSampleRate} Hz; refused before decoding");
        if (channels < 1 || channels > MaxChannels)
            throw new LabelStampException(ErrorCode.AudioParametersOutOfRange,
                $"{name}: header gives {channels} audio channels, outside the supported 1..{MaxChannels}; refused before decoding");
    }

    public void CheckDuration(TimeSpan duration, string name)
    {
        if (duration < TimeSpan.Zero || duration > MaxDuration)
            throw new LabelStampException(ErrorCode.DurationTooLong, $"{name}: duration {duration} is over the limit of {MaxDuration}");
    }
}
