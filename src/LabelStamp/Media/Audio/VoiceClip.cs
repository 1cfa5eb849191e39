using System.Globalization;
using System.Runtime.InteropServices;
using LabelStamp.Errors;
using LabelStamp.Files;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Media.Audio;

/// <summary>
/// The provider-supplied voice clip of spec §3 (e.g. a spoken "人工智能生成"), the alternative to the
/// rhythm prompt. Decoded once by ffmpeg to the target file's rate and channel count, then mixed over the
/// start (and optionally the end) like the rhythm: the output keeps the input's duration and the host
/// is ducked by <see cref="DuckDb"/> under the clip (with <see cref="RampMs"/> ramps) so speech in the
/// clip stays intelligible over any content.
/// </summary>
public sealed class VoiceClip
{
    /// <summary>Longest clip accepted: a label, not a programme.</summary>
    public const double MaxSeconds = 15;
    public const double DuckDb = -20;
    public const double RampMs = 30;

    private readonly float[] _samples;

    private VoiceClip(float[] interleaved, int sampleRate, int channels)
    {
        _samples = interleaved;
        SampleRate = sampleRate;
        Channels = channels;
    }

    public int SampleRate { get; }
    public int Channels { get; }
    public long Frames => _samples.Length / Channels;
    public double Seconds => Frames / (double)SampleRate;

    /// <summary>The clip as interleaved samples at <see cref="SampleRate"/>.</summary>
    public ReadOnlySpan<float> Samples => _samples;

    /// <summary>A clip from samples already at the target rate (tests, or a clip decoded elsewhere).</summary>
    public static VoiceClip FromSamples(float[] interleaved, int sampleRate, int channels, string name)
    {
        if (channels < 1 || interleaved.Length < channels)
            throw new LabelStampException(ErrorCode.InvalidVoiceClip, $"{name}: voice clip is empty");
        if (interleaved.Length / channels > MaxSeconds * sampleRate)
            throw new LabelStampException(ErrorCode.InvalidVoiceClip, $"{name}: voice clip is longer than {MaxSeconds} s");
        return new VoiceClip(interleaved, sampleRate, channels);
    }

    /// <summary>Decodes the provider's clip file to f32 PCM at the given rate and channel count (one
    /// ffmpeg call with a timeout; only the <c>file</c> protocol).</summary>
    public static async Task<VoiceClip> LoadAsync(string path, int sampleRate, int channels, ToolRunner tools, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        string name = Path.GetFileName(path);
        if (!File.Exists(path)) throw new LabelStampException(ErrorCode.InvalidVoiceClip, $"{name}: voice clip file not found");
        // ffmpeg would wait on a FIFO until its timeout and decode a device forever: only a regular file (LS111).
        RegularFile.Require(path, followLinks: true, $"{name} (voice clip)");
        string max = MaxSeconds.ToString(CultureInfo.InvariantCulture);
        // The clip is the provider's own file (any container ffmpeg reads), so the demuxer is probed; it is
        // still opened with the file protocol only, after the regular-file check above.
        using var p = tools.StartFfmpeg(FfmpegCommand.Ffmpeg().FileInput(null, path).Add("-t", max + ".5").SampleOutput(sampleRate, channels),
            "voice clip decode", name);
        p.CloseInput();
        using var ms = new MemoryStream();
        var copy = p.Output.CopyToAsync(ms, cancellationToken);
        try
        {
            await p.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (LabelStampException e) when (e.Code == ErrorCode.ToolFailed)
        {
            throw new LabelStampException(ErrorCode.InvalidVoiceClip, $"{name}: voice clip is not decodable audio", e);
        }
        await copy.ConfigureAwait(false);
        var bytes = ms.GetBuffer().AsSpan(0, (int)ms.Length);
        float[] samples = MemoryMarshal.Cast<byte, float>(bytes[..(bytes.Length - bytes.Length % (4 * channels))]).ToArray();
        return FromSamples(samples, sampleRate, channels, name);
    }

    /// <summary>Mixes the clip into a chunk in place; <paramref name="chunkStart"/> and
    /// <paramref name="clipStart"/> are sample indices per channel in the file. Samples past the end
    /// of the file are simply not written (a clip longer than the file is cut).</summary>
    public void MixInto(Span<float> interleaved, long chunkStart, long clipStart)
    {
        int channels = Channels;
        long frames = interleaved.Length / channels, length = Frames;
        long ramp = (long)(RampMs / 1000 * SampleRate);
        long from = Math.Max(chunkStart, clipStart - ramp), to = Math.Min(chunkStart + frames, clipStart + length + ramp);
        if (from >= to) return;
        double duck = Math.Pow(10, DuckDb / 20);
        for (long g = from; g < to; g++)
        {
            long rel = g - clipStart;
            double d = rel < 0 ? Lerp(1, duck, Smooth((rel + ramp) / (double)ramp))
                : rel >= length ? Lerp(duck, 1, Smooth((rel - length) / (double)ramp))
                : duck;
            int i = (int)(g - chunkStart) * channels;
            for (int c = 0; c < channels; c++)
            {
                float v = rel >= 0 && rel < length ? _samples[rel * channels + c] : 0f;
                interleaved[i + c] = (float)(interleaved[i + c] * d) + v;
            }
        }
    }

    /// <summary>The clip as mono (mean of channels), for <see cref="VoiceClipDetector"/>.</summary>
    public float[] Mono()
    {
        var m = new float[Frames];
        for (long i = 0; i < m.Length; i++)
        {
            float s = 0;
            for (int c = 0; c < Channels; c++) s += _samples[i * Channels + c];
            m[i] = s / Channels;
        }
        return m;
    }

    private static double Smooth(double x) => x <= 0 ? 0 : x >= 1 ? 1 : 0.5 - 0.5 * Math.Cos(Math.PI * x);

    private static double Lerp(double a, double b, double t) => a + (b - a) * t;
}
