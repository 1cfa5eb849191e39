using LabelStamp.Media.Audio.Flac;
using LabelStamp.Media.Audio.Mp3;
using LabelStamp.Media.Audio.Ogg;

namespace LabelStamp.Media.Audio;

/// <summary>
/// The in-process decoder for a stream, when there is one: FLAC (ours, bit-exact), MP3 (NLayer) and Ogg
/// Opus (Concentus). Ogg Vorbis is decoded by ffmpeg (out of process, with its timeout): NVorbis 0.10.5
/// never returned from opening a 6 KB fuzzed file (tests/LabelStamp.Fuzz/regressions/audio-decode), and
/// a decoder that can loop forever must not run on a worker's thread. A stamp then starts one ffmpeg process (the encoder), as a
/// plain transcode does, instead of two (bench/AUDIO.md: a start-up is ≈ 75 ms CPU here). AAC has no
/// managed decoder and WAV needs none; they return null. Opening may already throw a typed error (a
/// damaged header); the caller decides whether ffmpeg's decoder gets a second try.
/// </summary>
public static class InProcessDecoder
{
    public static IPcmDecoder? Open(MediaFormat format, AudioStreamInfo info, ReadOnlyMemory<byte> file, string name) => (format.Name, info.Codec) switch
    {
        ("flac", "flac") => new FlacDecoder(file, info, name),
        ("mp3", "mp3") => new Mp3StreamDecoder(file, info, name),
        ("ogg", "opus") => new OpusStreamDecoder(file, info, name),
        _ => null,
    };
}
