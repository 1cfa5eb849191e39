namespace LabelStamp.Media.Audio.Encoders;

/// <summary>
/// The in-process encoder for a stamp's output, when there is one, and how its stream is put together
/// with the tags. The untrusted input is still decoded out of process by one ffmpeg, which also writes the
/// container's tag block as the ffmpeg route writes it (the input's tags and cover art, the AIGC record)
/// into a head file beside the samples: the output is that tag block and our encoded stream. So a stamp
/// runs one process, the decoder, as a plain transcode does, and nothing in our process reads input bytes.
/// Null when the codec has no in-process encoder or its library is missing: the ffmpeg encoder stays.
/// </summary>
public static class InProcessEncoder
{
    /// <summary>The encoder for re-creating <paramref name="info"/>'s stream in <paramref name="format"/>,
    /// with the settings of the ffmpeg route (<see cref="AudioCodecs.EncoderArguments"/>), or null.</summary>
    public static IPcmEncoder? TryCreate(MediaFormat format, AudioStreamInfo info, string name) => (format.Name, info.Codec) switch
    {
        ("mp3", "mp3") when LameMp3Encoder.Available && info.Channels <= 2 =>
            LameMp3Encoder.Create(info.SampleRate, info.Channels, AudioCodecs.LossyBitrate(info), name),
        ("ogg", "opus") when LibopusEncoder.Available && info.Channels <= 2 && info.SampleRate == 48000 =>
            LibopusEncoder.Create(info.Channels, AudioCodecs.LossyBitrate(info), name),
        ("ogg", "vorbis") when LibvorbisEncoder.Available && info.Channels <= 2 =>
            LibvorbisEncoder.Create(info.SampleRate, info.Channels, AudioCodecs.VorbisQuality(info), name),
        // ffmpeg's own AAC encoder through libavcodec, into our MP4 (AacMp4Writer); 16-bit sample-rate field, ≤ 2 channels.
        ("mp4", "aac") when info.Channels <= 2 && info.SampleRate <= 48000 && LibavAacEncoder.Available =>
            LibavAacEncoder.TryCreate(info.SampleRate, info.Channels, AudioCodecs.AacBitrate(info), name),
        _ => null,
    };
}
