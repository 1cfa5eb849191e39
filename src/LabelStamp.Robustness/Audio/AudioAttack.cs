using System.Globalization;
using System.Runtime.InteropServices;
using LabelStamp.Media.Audio;

namespace LabelStamp.Robustness.Audio;

/// <summary>
/// One transformation of the spec §5 audio suite, applied to interleaved float PCM and returning float
/// PCM at the original rate and channel count (so the detector sees what a verifier would decode).
/// Codec steps run through ffmpeg on private temp files; excerpts are cut from the middle of the
/// audio at an offset that is deliberately not a multiple of the mark's frame.
/// </summary>
public sealed record AudioAttack(string Name, string? Codec = null, int Kbps = 0, int ResampleTo = 0, double GainDb = 0, double ExcerptSeconds = 0)
{
    public async Task<float[]> ApplyAsync(float[] pcm, int sampleRate, int channels, ToolRunner tools, CancellationToken cancellationToken)
    {
        float[] x = pcm;
        if (ExcerptSeconds > 0)
        {
            long frames = x.Length / channels, want = (long)(ExcerptSeconds * sampleRate);
            if (want < frames)
            {
                long start = (frames - want) / 2 + 333; // middle, off the 1024-sample grid
                start = Math.Min(start, frames - want);
                x = x.AsSpan((int)(start * channels), (int)(want * channels)).ToArray();
            }
        }
        if (GainDb != 0)
        {
            float g = (float)Math.Pow(10, GainDb / 20);
            x = x.Select(v => Math.Clamp(v * g, -1f, 1f)).ToArray(); // clipped, as a fixed-point re-save would be
        }
        if (Codec is not null) x = await TranscodeAsync(x, sampleRate, channels, tools, cancellationToken).ConfigureAwait(false);
        if (ResampleTo > 0) x = await ResampleAsync(x, sampleRate, channels, tools, cancellationToken).ConfigureAwait(false);
        return x;
    }

    private async Task<float[]> TranscodeAsync(float[] x, int rate, int channels, ToolRunner tools, CancellationToken ct)
    {
        string ext = Codec switch { "libmp3lame" => ".mp3", "aac" => ".m4a", "libopus" => ".opus", _ => ".mka" };
        return await RoundTripAsync(x, rate, channels, tools, ct,
            ["-c:a", Codec!, "-b:a", Kbps.ToString(CultureInfo.InvariantCulture) + "k"], ext, rate).ConfigureAwait(false);
    }

    private async Task<float[]> ResampleAsync(float[] x, int rate, int channels, ToolRunner tools, CancellationToken ct) =>
        await RoundTripAsync(x, rate, channels, tools, ct,
            ["-ar", ResampleTo.ToString(CultureInfo.InvariantCulture), "-c:a", "pcm_s16le"], ".wav", rate).ConfigureAwait(false);

    private static async Task<float[]> RoundTripAsync(float[] x, int rate, int channels, ToolRunner tools, CancellationToken ct,
        string[] encode, string ext, int outRate)
    {
        string dir = Path.Combine(Path.GetTempPath(), "labelstamp-attack-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string raw = Path.Combine(dir, "in.f32"), enc = Path.Combine(dir, "enc" + ext), back = Path.Combine(dir, "out.f32");
            await File.WriteAllBytesAsync(raw, MemoryMarshal.AsBytes(x.AsSpan()).ToArray(), ct).ConfigureAwait(false);
            string r = rate.ToString(CultureInfo.InvariantCulture), c = channels.ToString(CultureInfo.InvariantCulture);
            var timeout = TimeSpan.FromMinutes(2);
            await tools.RunForTextAsync(tools.FfmpegPath, ["-nostdin", "-hide_banner", "-v", "error", "-f", "f32le", "-ar", r, "-ac", c,
                "-i", raw, .. encode, "-y", enc], timeout, "attack encode", "attack", ct).ConfigureAwait(false);
            await tools.RunForTextAsync(tools.FfmpegPath, ["-nostdin", "-hide_banner", "-v", "error", "-i", enc,
                "-f", "f32le", "-ar", outRate.ToString(CultureInfo.InvariantCulture), "-ac", c, "-y", back], timeout, "attack decode", "attack", ct).ConfigureAwait(false);
            return MemoryMarshal.Cast<byte, float>(await File.ReadAllBytesAsync(back, ct).ConfigureAwait(false)).ToArray();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
