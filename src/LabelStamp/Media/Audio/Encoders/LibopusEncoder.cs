using System.Buffers.Binary;
using System.Runtime.InteropServices;
using LabelStamp.Errors;

namespace LabelStamp.Media.Audio.Encoders;

/// <summary>
/// Ogg Opus by the system libopus (libopus.so.0, the library behind ffmpeg's <c>libopus</c> encoder),
/// set up as ffmpeg's wrapper sets it for <c>-c:a libopus -b:a N</c> on a mono or stereo stream: a
/// multistream encoder of one stream (coupled for stereo, channel mapping family 0), application "audio",
/// the bitrate N, complexity 10, unconstrained VBR, no expected packet loss, 20 ms frames at 48 kHz. Its
/// look-ahead is the header's pre-skip, the last frame is padded with silence until the look-ahead is
/// out, and the last page's granule position ends the stream at exactly the input's sample count (RFC
/// 7845 §4), as ffmpeg's muxer does. The OpusTags packet is not made here: the caller passes the one
/// ffmpeg wrote with the stamp's tags, so both routes carry the same comments.
/// </summary>
public sealed class LibopusEncoder : IPcmEncoder
{
    public const string Library = "libopus.so.0";
    private const int Rate = 48000, FrameSamples = 960, ApplicationAudio = 2049, MaxPacket = 4000;
    private const int SetBitrate = 4002, SetVbr = 4006, SetComplexity = 4010, SetPacketLoss = 4014, SetVbrConstraint = 4020, GetLookahead = 4027;
    /// <summary>Samples per channel on a page before it is closed: ffmpeg's Ogg muxer closes pages at 1 s.</summary>
    private const int PageSamples = Rate;

    private readonly int _channels;
    private readonly float[] _frame;
    private readonly byte[] _packet = new byte[MaxPacket];
    private readonly List<(byte[] Packet, long Granule)> _packets = [];
    private readonly int _preSkip;
    private IntPtr _encoder;
    private int _filled;
    private long _input, _encoded;

    private static readonly Lazy<bool> Loaded = new(() => NativeCodecs.TryLoad(Library));

    /// <summary>Whether libopus is on this machine.</summary>
    public static bool Available => Loaded.Value;

    private LibopusEncoder(IntPtr encoder, int channels, int preSkip)
    {
        _encoder = encoder;
        _channels = channels;
        _preSkip = preSkip;
        _frame = new float[FrameSamples * channels];
    }

    /// <summary>An encoder for a 48 kHz mono or stereo stream at <paramref name="kbps"/>.</summary>
    public static LibopusEncoder Create(int channels, int kbps, string name)
    {
        if (channels is < 1 or > 2)
            throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: the in-process Opus encoder takes 1 or 2 channels, not {channels}");
        byte[] mapping = channels == 1 ? [0] : [0, 1];
        IntPtr encoder = opus_multistream_encoder_create(Rate, channels, 1, channels - 1, mapping, ApplicationAudio, out int error);
        if (encoder == IntPtr.Zero || error != 0) throw new LabelStampException(ErrorCode.ToolFailed, $"{name}: libopus refused the stream ({error})");
        try
        {
            Check(opus_multistream_encoder_ctl(encoder, SetBitrate, kbps * 1000), name);
            Check(opus_multistream_encoder_ctl(encoder, SetComplexity, 10), name);
            Check(opus_multistream_encoder_ctl(encoder, SetVbr, 1), name);
            Check(opus_multistream_encoder_ctl(encoder, SetVbrConstraint, 0), name);
            Check(opus_multistream_encoder_ctl(encoder, SetPacketLoss, 0), name);
            Check(opus_multistream_encoder_ctl(encoder, GetLookahead, out int lookahead), name);
            return new LibopusEncoder(encoder, channels, lookahead);
        }
        catch
        {
            opus_multistream_encoder_destroy(encoder);
            throw;
        }
    }

    public void Encode(ReadOnlySpan<float> interleaved)
    {
        _input += interleaved.Length / _channels;
        while (!interleaved.IsEmpty)
        {
            int n = Math.Min(interleaved.Length, _frame.Length - _filled);
            interleaved[..n].CopyTo(_frame.AsSpan(_filled));
            _filled += n;
            interleaved = interleaved[n..];
            if (_filled == _frame.Length) EncodeFrame();
        }
    }

    /// <summary>The Ogg Opus file: our OpusHead and the head's OpusTags on pages of their own, then the
    /// audio pages, in the head's stream serial number (ffmpeg's, bit-exact: the stamp stays a function of
    /// its input).</summary>
    public byte[] Finish(ReadOnlySpan<byte> head, string name)
    {
        // Silence until the decoder's output, less the pre-skip, covers every input sample.
        long end = _preSkip + _input;
        while (_encoded < end)
        {
            _frame.AsSpan(_filled).Clear();
            _filled = _frame.Length;
            EncodeFrame();
        }
        var (serial, tags) = OggHead.Comments(head, "OpusTags"u8, name);
        var ogg = new OggPageWriter(serial);
        ogg.Add(OpusHead(_channels, _preSkip), 0, closePage: true);
        ogg.Add(tags, 0, closePage: true);
        long pageStart = 0;
        foreach (var (packet, granule) in _packets)
        {
            ogg.Add(packet, Math.Min(granule, end));
            if (granule - pageStart >= PageSamples && granule < end)
            {
                ogg.Flush(false);
                pageStart = granule;
            }
        }
        return ogg.Finish();
    }

    private void EncodeFrame()
    {
        int bytes = opus_multistream_encode_float(_encoder, _frame, FrameSamples, _packet, _packet.Length);
        if (bytes < 0) throw new LabelStampException(ErrorCode.ToolFailed, $"libopus failed to encode ({bytes})");
        _encoded += FrameSamples;
        _filled = 0;
        _packets.Add((_packet.AsSpan(0, bytes).ToArray(), _encoded));
    }

    /// <summary>RFC 7845 §5.1: version 1, channels, pre-skip, the input rate (48 kHz: what the encoder was
    /// given), output gain 0, mapping family 0.</summary>
    private static byte[] OpusHead(int channels, int preSkip)
    {
        var head = new byte[19];
        "OpusHead"u8.CopyTo(head);
        head[8] = 1;
        head[9] = (byte)channels;
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(10), (ushort)preSkip);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(12), Rate);
        return head;
    }

    public void Dispose()
    {
        if (_encoder != IntPtr.Zero) opus_multistream_encoder_destroy(_encoder);
        _encoder = IntPtr.Zero;
    }

    private static void Check(int result, string name)
    {
        if (result != 0) throw new LabelStampException(ErrorCode.ToolFailed, $"{name}: libopus refused the stream's settings ({result})");
    }

    [DllImport(Library)]
    private static extern IntPtr opus_multistream_encoder_create(int rate, int channels, int streams, int coupled, byte[] mapping, int application, out int error);
    [DllImport(Library)] private static extern void opus_multistream_encoder_destroy(IntPtr encoder);
    // opus_multistream_encoder_ctl is variadic; on x86-64 System V an int or pointer argument travels in the
    // same register either way, so fixed declarations per argument type call it correctly.
    [DllImport(Library)] private static extern int opus_multistream_encoder_ctl(IntPtr encoder, int request, int value);
    [DllImport(Library)] private static extern int opus_multistream_encoder_ctl(IntPtr encoder, int request, out int value);
    [DllImport(Library)] private static extern int opus_multistream_encode_float(IntPtr encoder, float[] pcm, int frameSize, byte[] data, int maxBytes);
}
