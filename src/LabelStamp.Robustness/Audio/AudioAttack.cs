using System.Globalization;
using System.Runtime.InteropServices;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Robustness.Audio;

/// <summary>
/// One transformation of the audio attack suite, applied to interleaved float PCM. Steps run in this
/// order: excerpt, gain, speed change, codec, resample. Codec and rate steps run through ffmpeg on
/// private temp files; excerpts are cut from the middle of the audio at an offset that is deliberately
/// not a multiple of the mark's frame.
/// <para>Rates: by default the result is read back at the input's rate (the spec §5 suite: the
/// "resample-22.05k" round trip, and codecs decoded with <c>-ar</c> at the source rate). With
/// <paramref name="CodecRate"/> the codec runs at that rate (Opus always at 48 kHz, a platform's AAC
/// at 48 kHz) and with <paramref name="ReadAtNewRate"/> the result stays at the codec's or the
/// resampler's rate, as a verifier decoding that file would see it (<see cref="AttackAsync"/> says
/// which rate).</para>
/// <para>Speed: <paramref name="SpeedPercent"/> is a resampling speed change (tempo and pitch move
/// together, as a platform's "1.02×" without time-stretching does): the samples are relabelled at
/// rate·(1 + p/100) and resampled back to the input's rate, so the result plays p % faster.</para>
/// </summary>
public sealed record AudioAttack(string Name, string? Codec = null, int Kbps = 0, int ResampleTo = 0, double GainDb = 0, double ExcerptSeconds = 0,
    int CodecRate = 0, bool ReadAtNewRate = false, double SpeedPercent = 0)
{
    /// <summary>The rate the attacked audio is read at, for an input at <paramref name="sampleRate"/>.</summary>
    public int OutputRate(int sampleRate) => !ReadAtNewRate ? sampleRate : ResampleTo > 0 ? ResampleTo : CodecRate > 0 ? CodecRate : sampleRate;

    /// <summary>Applies the attack; the result is at <see cref="OutputRate"/> with the input's channel count.</summary>
    public async Task<AttackedAudio> AttackAsync(float[] pcm, int sampleRate, int channels, ToolRunner tools, CancellationToken cancellationToken)
    {
        float[] x = pcm;
        int rate = sampleRate;
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
        if (SpeedPercent != 0)
        {
            string relabel = Math.Round(rate * (1 + SpeedPercent / 100)).ToString(CultureInfo.InvariantCulture);
            x = await RoundTripAsync(x, rate, channels, tools, cancellationToken,
                ["-af", $"asetrate={relabel},aresample={Invariant(rate)}", "-c:a", "pcm_f32le"], ".wav", rate).ConfigureAwait(false);
        }
        if (Codec is not null)
        {
            string ext = Codec switch { "libmp3lame" => ".mp3", "aac" => ".m4a", "libopus" => ".opus", _ => ".mka" };
            int decodeRate = ReadAtNewRate && CodecRate > 0 ? CodecRate : rate;
            string[] encode = CodecRate > 0
                ? ["-ar", Invariant(CodecRate), "-c:a", Codec, "-b:a", Invariant(Kbps) + "k"]
                : ["-c:a", Codec, "-b:a", Invariant(Kbps) + "k"];
            x = await RoundTripAsync(x, rate, channels, tools, cancellationToken, encode, ext, decodeRate).ConfigureAwait(false);
            rate = decodeRate;
        }
        if (ResampleTo > 0)
        {
            int readRate = ReadAtNewRate ? ResampleTo : rate;
            x = await RoundTripAsync(x, rate, channels, tools, cancellationToken,
                ["-ar", Invariant(ResampleTo), "-c:a", "pcm_s16le"], ".wav", readRate).ConfigureAwait(false);
            rate = readRate;
        }
        return new AttackedAudio(x, rate, channels);
    }

    /// <summary>The spec §5 form: the attacked samples at the input's rate. Attacks that are read at
    /// another rate (<see cref="ReadAtNewRate"/>) must go through <see cref="AttackAsync"/>, which says
    /// the rate, so a caller cannot read them at the wrong one by mistake.</summary>
    public async Task<float[]> ApplyAsync(float[] pcm, int sampleRate, int channels, ToolRunner tools, CancellationToken cancellationToken)
    {
        var r = await AttackAsync(pcm, sampleRate, channels, tools, cancellationToken).ConfigureAwait(false);
        if (r.SampleRate != sampleRate)
            throw new InvalidOperationException($"attack {Name} reads at {r.SampleRate} Hz, not {sampleRate} Hz: use AttackAsync");
        return r.Samples;
    }

    public override string ToString() => Name;

    private static string Invariant(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static async Task<float[]> RoundTripAsync(float[] x, int rate, int channels, ToolRunner tools, CancellationToken ct,
        string[] encode, string ext, int outRate)
    {
        string dir = Path.Combine(Path.GetTempPath(), "labelstamp-attack-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string raw = Path.Combine(dir, "in.f32"), enc = Path.Combine(dir, "enc" + ext), back = Path.Combine(dir, "out.f32");
            await File.WriteAllBytesAsync(raw, MemoryMarshal.AsBytes(x.AsSpan()).ToArray(), ct).ConfigureAwait(false);
            string r = Invariant(rate), c = Invariant(channels);
            var timeout = TimeSpan.FromMinutes(2);
            await tools.RunForTextAsync(tools.FfmpegPath, ["-nostdin", "-hide_banner", "-v", "error", "-f", "f32le", "-ar", r, "-ac", c,
                "-i", raw, .. encode, "-y", enc], timeout, "attack encode", "attack", ct).ConfigureAwait(false);
            await tools.RunForTextAsync(tools.FfmpegPath, ["-nostdin", "-hide_banner", "-v", "error", "-i", enc,
                "-f", "f32le", "-ar", Invariant(outRate), "-ac", c, "-y", back], timeout, "attack decode", "attack", ct).ConfigureAwait(false);
            return MemoryMarshal.Cast<byte, float>(await File.ReadAllBytesAsync(back, ct).ConfigureAwait(false)).ToArray();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
