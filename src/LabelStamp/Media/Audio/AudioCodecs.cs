using LabelStamp.Errors;

namespace LabelStamp.Media.Audio;

/// <summary>
/// The ffmpeg settings per codec: the encoder that re-creates the input's codec and the bitrate rule
/// (the demuxer and muxer names belong to each container's format module).
/// </summary>
public static class AudioCodecs
{
    /// <summary>Standard encoder bitrates (kbit/s); the output takes the smallest one ≥ the input's.</summary>
    private static readonly int[] StandardKbps = [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];

    /// <summary>The demuxer forced for an audio container (its format module's, spec §10).</summary>
    public static string Demuxer(MediaFormat format) => Pipeline.MediaCatalog.FfmpegDemuxer(format);

    /// <summary>The muxer that writes an audio container back (its format module's).</summary>
    public static string Muxer(MediaFormat format) => Pipeline.MediaCatalog.FfmpegMuxer(format);

    /// <summary>
    /// Encoder arguments that give the same codec, and for lossy codecs the input's bitrate rounded up
    /// to the next standard step (so the re-encode never starves the mark or the content; a VBR input's
    /// average rate is used). Lossless codecs keep their sample format. Vorbis is the exception: it is
    /// encoded in quality mode (<see cref="VorbisQuality"/>), not at a bitrate; AAC has a floor per
    /// channel (<see cref="AacBitrate"/>).
    /// </summary>
    public static IReadOnlyList<string> EncoderArguments(AudioStreamInfo info, string name)
    {
        string kbps = LossyBitrate(info) + "k";
        return info.Codec switch
        {
            "pcm_s16le" or "pcm_s24le" or "pcm_s32le" or "pcm_f32le" or "pcm_f64le" or "pcm_u8" or "pcm_s16be" =>
                ["-c:a", info.Codec],
            "flac" => ["-c:a", "flac", "-sample_fmt", info.BitsPerSample > 16 ? "s32" : "s16"],
            "mp3" => ["-c:a", "libmp3lame", "-b:a", kbps],
            "aac" => ["-c:a", "aac", "-b:a", AacBitrate(info) + "k"],
            "vorbis" => ["-c:a", "libvorbis", "-q:a", VorbisQuality(info).ToString(System.Globalization.CultureInfo.InvariantCulture)],
            "opus" => ["-c:a", "libopus", "-b:a", kbps],
            _ => throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: audio codec '{info.Codec}' is not supported for labeling"),
        };
    }

    /// <summary>
    /// libvorbis quality for the re-encode: 7, or 9 for sources above 224 kbit/s. Why not the bitrate
    /// rule: asked for a nominal bitrate, libvorbis' managed mode spends far less than it (35–74 kbit/s
    /// actual for 77–120 kbit/s asked, on the audio corpus) and erases much of the band modulation the
    /// mark lives in; the stamped Ogg file then needed 8–16 Viterbi corrections where MP3, AAC and FLAC
    /// needed 0–1, and most 5 s excerpts of stamped Ogg clips were lost (bench/AUDIO.md). Quality 7
    /// (≈ 224 kbit/s nominal for 44.1 kHz stereo, less for mono and lower rates) keeps the bands.
    /// </summary>
    public static int VorbisQuality(AudioStreamInfo info) => info.BitRate > 224_000 ? 9 : 7;

    /// <summary>AAC re-encodes get at least this many kbit/s per channel.</summary>
    public const int AacFloorKbpsPerChannel = 64;

    /// <summary>
    /// The AAC re-encode's bitrate: the bitrate rule, but never under <see cref="AacFloorKbpsPerChannel"/>
    /// per channel. Why: an AAC host already coded at a low rate and re-coded near that rate loses the
    /// mark the way libvorbis' bitrate mode did — a 9 s 24 kHz stereo music clip at 95 kbit/s, re-encoded at
    /// 96k, read in no attack at all; at 128k (64 per channel) stereo 22.05–24 kHz music stamped files
    /// read with 2–4 raw coded-bit errors of 330 where 96k left 9–20 (bench/AUDIO.md). Mono inputs at
    /// 64 kbit/s and every input above the floor are unchanged.
    /// </summary>
    public static int AacBitrate(AudioStreamInfo info) => Math.Max(LossyBitrate(info), AacFloorKbpsPerChannel * Math.Max(1, info.Channels));

    public static int LossyBitrate(AudioStreamInfo info)
    {
        long kbps = info.BitRate > 0 ? (info.BitRate + 999) / 1000 : 128;
        foreach (int s in StandardKbps)
            if (s >= kbps) return s;
        return StandardKbps[^1];
    }
}
