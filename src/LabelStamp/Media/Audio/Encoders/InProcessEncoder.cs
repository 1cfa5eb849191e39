using LabelStamp.Errors;

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
        _ => null,
    };

    /// <summary>The output file: the tag block of <paramref name="head"/> (what ffmpeg's muxer wrote for one
    /// copied frame of the input, with the stamp's metadata options) before <paramref name="encoded"/>.</summary>
    public static byte[] Assemble(MediaFormat format, ReadOnlySpan<byte> head, byte[] encoded, string name)
    {
        if (format != MediaFormat.Mp3) throw new LabelStampException(ErrorCode.Internal, $"{name}: no in-process muxer for {format.Name}");
        int tag = Id3v2Length(head, name);
        var output = new byte[tag + encoded.Length];
        head[..tag].CopyTo(output);
        encoded.CopyTo(output, tag);
        return output;
    }

    /// <summary>The length of the ID3v2 tag at the start of <paramref name="file"/> (0 when there is none).</summary>
    private static int Id3v2Length(ReadOnlySpan<byte> file, string name)
    {
        if (file.Length < 10 || !file.StartsWith("ID3"u8)) return 0;
        int size = (file[6] & 0x7F) << 21 | (file[7] & 0x7F) << 14 | (file[8] & 0x7F) << 7 | (file[9] & 0x7F);
        int length = 10 + size + ((file[5] & 0x10) != 0 ? 10 : 0);
        if (length > file.Length) throw new LabelStampException(ErrorCode.ToolFailed, $"{name}: ffmpeg's tag block is cut short");
        return length;
    }
}
