using System.Runtime.InteropServices;
using LabelStamp.Errors;

namespace LabelStamp.Media.Audio.Encoders;

/// <summary>
/// MP3 by the system libmp3lame (libmp3lame.so.0, the library Debian's ffmpeg links for
/// <c>libmp3lame</c>), set up as ffmpeg's wrapper sets it for <c>-c:a libmp3lame -b:a N</c>: constant
/// bitrate N, LAME quality 5, joint stereo for two channels, the bit reservoir on, input and output at
/// the stream's rate, and planar float samples scaled to ±32768 (what ffmpeg hands
/// <c>lame_encode_buffer_float</c>). The one difference is the header frame: ffmpeg's muxer writes its
/// own Xing/LAME frame, here LAME's tag frame (encoder delay, padding, CRCs) replaces the placeholder
/// frame LAME reserves at the start, so players and our decoders trim the same gapless edges.
/// </summary>
public sealed class LameMp3Encoder : IPcmEncoder
{
    public const string Library = "libmp3lame.so.0";
    private const int JointStereo = 1, Mono = 3, FfmpegQuality = 5;
    /// <summary>Samples per channel handed to LAME per call (its output bound is 1.25 n + 7200 bytes).</summary>
    private const int Block = 4096;

    private readonly int _channels;
    private readonly MemoryStream _out = new();
    private readonly float[] _left = new float[Block], _right = new float[Block];
    private readonly byte[] _mp3 = new byte[Block * 5 / 4 + 7200];
    private IntPtr _lame;

    private LameMp3Encoder(IntPtr lame, int channels)
    {
        _lame = lame;
        _channels = channels;
    }

    private static readonly Lazy<bool> Loaded = new(() => NativeCodecs.TryLoad(Library));

    /// <summary>Whether libmp3lame is on this machine (when not, the stamp encodes with ffmpeg as before).</summary>
    public static bool Available => Loaded.Value;

    /// <summary>An encoder for <paramref name="channels"/> (1 or 2) at <paramref name="sampleRate"/> and
    /// <paramref name="kbps"/> constant bitrate; LAME's refusal (a rate MP3 has no layer for) is LS501.</summary>
    public static LameMp3Encoder Create(int sampleRate, int channels, int kbps, string name)
    {
        if (channels is < 1 or > 2)
            throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: MP3 holds 1 or 2 channels, not {channels}");
        IntPtr lame = lame_init();
        if (lame == IntPtr.Zero) throw new LabelStampException(ErrorCode.ToolFailed, $"{name}: libmp3lame could not allocate an encoder");
        var encoder = new LameMp3Encoder(lame, channels);
        try
        {
            Check(lame_set_num_channels(lame, channels), name);
            Check(lame_set_mode(lame, channels > 1 ? JointStereo : Mono), name);
            Check(lame_set_in_samplerate(lame, sampleRate), name);
            Check(lame_set_out_samplerate(lame, sampleRate), name);
            Check(lame_set_quality(lame, FfmpegQuality), name);
            Check(lame_set_brate(lame, kbps), name);
            Check(lame_set_bWriteVbrTag(lame, 1), name);
            Check(lame_set_write_id3tag_automatic(lame, 0), name);
            Check(lame_init_params(lame), name);
            return encoder;
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
    }

    public void Encode(ReadOnlySpan<float> interleaved)
    {
        int frames = interleaved.Length / _channels;
        for (int start = 0; start < frames; start += Block)
        {
            int n = Math.Min(Block, frames - start);
            var block = interleaved.Slice(start * _channels, n * _channels);
            if (_channels == 1)
                for (int i = 0; i < n; i++) _left[i] = block[i] * 32768f;
            else
                for (int i = 0; i < n; i++)
                {
                    _left[i] = block[2 * i] * 32768f;
                    _right[i] = block[2 * i + 1] * 32768f;
                }
            int bytes = lame_encode_buffer_float(_lame, _left, _channels == 1 ? _left : _right, n, _mp3, _mp3.Length);
            if (bytes < 0) throw new LabelStampException(ErrorCode.ToolFailed, $"libmp3lame failed to encode ({bytes})");
            _out.Write(_mp3, 0, bytes);
        }
    }

    /// <summary>The head's ID3v2 tag, then our frames with LAME's tag frame over the placeholder at their start.</summary>
    public byte[] Finish(ReadOnlySpan<byte> head, string name)
    {
        int bytes = lame_encode_flush(_lame, _mp3, _mp3.Length);
        if (bytes < 0) throw new LabelStampException(ErrorCode.ToolFailed, $"libmp3lame failed to flush ({bytes})");
        _out.Write(_mp3, 0, bytes);
        byte[] stream = _out.ToArray();
        var tag = new byte[4096];
        int tagBytes = (int)lame_get_lametag_frame(_lame, tag, (nuint)tag.Length);
        if (tagBytes <= 0 || tagBytes > tag.Length || tagBytes > stream.Length)
            throw new LabelStampException(ErrorCode.ToolFailed, $"libmp3lame gave no tag frame ({tagBytes} bytes)");
        tag.AsSpan(0, tagBytes).CopyTo(stream);
        int id3 = Id3v2Length(head, name);
        var output = new byte[id3 + stream.Length];
        head[..id3].CopyTo(output);
        stream.CopyTo(output, id3);
        return output;
    }

    /// <summary>The length of the ID3v2 tag at the start of <paramref name="file"/> (0 when there is none).</summary>
    private static int Id3v2Length(ReadOnlySpan<byte> file, string name)
    {
        if (file.Length < 10 || !file.StartsWith("ID3"u8)) return 0;
        int size = (file[6] & 0x7F) << 21 | (file[7] & 0x7F) << 14 | (file[8] & 0x7F) << 7 | (file[9] & 0x7F);
        int length = 10 + size + ((file[5] & 0x10) != 0 ? 10 : 0);
        if (length > file.Length) throw new LabelStampException(ErrorCode.ToolFailed, $"{name}: ffmpeg's ID3 tag is cut short");
        return length;
    }

    public void Dispose()
    {
        if (_lame != IntPtr.Zero) lame_close(_lame);
        _lame = IntPtr.Zero;
    }

    private static void Check(int result, string name)
    {
        if (result < 0) throw new LabelStampException(ErrorCode.ToolFailed, $"{name}: libmp3lame refused the stream's settings ({result})");
    }

    [DllImport(Library)] private static extern IntPtr lame_init();
    [DllImport(Library)] private static extern int lame_close(IntPtr lame);
    [DllImport(Library)] private static extern int lame_set_num_channels(IntPtr lame, int channels);
    [DllImport(Library)] private static extern int lame_set_mode(IntPtr lame, int mode);
    [DllImport(Library)] private static extern int lame_set_in_samplerate(IntPtr lame, int rate);
    [DllImport(Library)] private static extern int lame_set_out_samplerate(IntPtr lame, int rate);
    [DllImport(Library)] private static extern int lame_set_quality(IntPtr lame, int quality);
    [DllImport(Library)] private static extern int lame_set_brate(IntPtr lame, int kbps);
    [DllImport(Library)] private static extern int lame_set_bWriteVbrTag(IntPtr lame, int on);
    [DllImport(Library)] private static extern int lame_set_write_id3tag_automatic(IntPtr lame, int on);
    [DllImport(Library)] private static extern int lame_init_params(IntPtr lame);
    [DllImport(Library)] private static extern int lame_encode_buffer_float(IntPtr lame, float[] left, float[] right, int samples, byte[] mp3, int size);
    [DllImport(Library)] private static extern int lame_encode_flush(IntPtr lame, byte[] mp3, int size);
    [DllImport(Library)] private static extern nuint lame_get_lametag_frame(IntPtr lame, byte[] buffer, nuint size);
}
