using System.Runtime.InteropServices;
using LabelStamp.Errors;

namespace LabelStamp.Media.Audio.Encoders;

/// <summary>
/// AAC-LC by ffmpeg's own <c>aac</c> encoder, called in our process through the libavcodec Debian's ffmpeg
/// ships (libavcodec.so.59, libavutil.so.57 of ffmpeg 5.1), on our marked samples only; the stream goes into
/// an MP4 of ours (<see cref="AacMp4Writer"/>). Settings go through the AVOptions API (<c>b</c>, <c>ar</c>,
/// <c>ch_layout</c>, <c>flags</c>) as the ffmpeg CLI sets them for
/// <c>-c:a aac -b:a N</c> with the MP4 muxer (global header), and the samples are the same planar floats the
/// CLI's conversion hands the encoder, so the packets are the ffmpeg route's, byte for byte (tested). The
/// struct fields with no AVOptions access are read or written at the offsets of these sonames' headers
/// (AVFrame.nb_samples, format, ch_layout; AVPacket.data, size; AVCodecContext.sample_fmt, extradata): the library is
/// loaded only when its version is the one those offsets belong to and a fresh AVFrame shows the
/// defaults av_frame_alloc writes at the expected places; otherwise the ffmpeg encoder stays.
/// </summary>
public sealed class LibavAacEncoder : IPcmEncoder
{
    public const string Codec = "libavcodec.so.59", Util = "libavutil.so.57";
    /// <summary>AAC-LC's frame (samples per channel per packet) and ffmpeg's encoder delay (priming samples).</summary>
    public const int FrameSamples = 1024, Priming = 1024;

    // libavutil 57 (ffmpeg 5.1) struct offsets, from its frame.h / packet.h / avcodec.h on x86-64.
    private const int FrameNbSamples = 112, FrameFormat = 116, FramePktPos = 352, FramePktSize = 384, FrameChLayout = 448;
    private const int PacketData = 24, PacketSize = 32;
    private const int ContextExtradata = 88, ContextExtradataSize = 96, ContextSampleRate = 352, ContextSampleFormat = 360;
    private const int SampleFormatFltp = 8, ErrorAgain = -11, ErrorEof = -541478725, LogQuiet = -8;

    private readonly int _channels;
    private readonly float[][] _planes;
    private int _filled;
    private IntPtr _context, _packet;
    private readonly List<int> _sizes = [];
    private readonly MemoryStream _stream = new();
    private byte[] _copy = new byte[8192];
    private long _samples;

    private LibavAacEncoder(IntPtr context, IntPtr packet, int channels)
    {
        _context = context;
        _packet = packet;
        _channels = channels;
        _planes = new float[channels][];
        for (int c = 0; c < channels; c++) _planes[c] = new float[FrameSamples];
    }

    private static readonly Lazy<bool> Loaded = new(Probe);

    /// <summary>Whether ffmpeg 5.1's libavcodec is here with the layout this class was written against.</summary>
    public static bool Available => Loaded.Value;

    private static bool Probe()
    {
        if (!NativeCodecs.TryLoad(Codec) || !NativeCodecs.TryLoad(Util)) return false;
        try
        {
            if (avutil_version() >> 16 != 57 || avcodec_version() >> 16 != 59) return false;
            IntPtr frame = av_frame_alloc();
            if (frame == IntPtr.Zero) return false;
            bool defaults = Marshal.ReadInt32(frame, FrameFormat) == -1 && Marshal.ReadInt64(frame, FramePktPos) == -1
                && Marshal.ReadInt32(frame, FramePktSize) == -1 && Marshal.ReadInt32(frame, FrameChLayout + 4) == 0;
            av_frame_free(ref frame);
            // libavutil logs to our standard error at "info" by default (the aac encoder's closing Qavg line):
            // failures come back as return codes here, so the library's log is off, as -v error keeps it for the CLI.
            if (defaults) av_log_set_level(LogQuiet);
            return defaults && avcodec_find_encoder_by_name("aac") != IntPtr.Zero;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The AudioSpecificConfig the encoder wrote (the MP4 sample entry's decoder configuration).</summary>
    public byte[] AudioSpecificConfig { get; private set; } = [];

    public int SampleRate { get; private set; }

    public int ChannelCount => _channels;

    public int BitRate { get; private set; }

    /// <summary>An encoder for <paramref name="channels"/> (1 or 2) at <paramref name="sampleRate"/> and
    /// <paramref name="kbps"/>, or null when libavcodec refuses the settings (the ffmpeg encoder stays).</summary>
    public static LibavAacEncoder? TryCreate(int sampleRate, int channels, int kbps, string name)
    {
        if (channels is < 1 or > 2 || !Available) return null;
        IntPtr codec = avcodec_find_encoder_by_name("aac");
        if (codec == IntPtr.Zero) return null;
        IntPtr context = avcodec_alloc_context3(codec);
        if (context == IntPtr.Zero) throw new LabelStampException(ErrorCode.ToolFailed, $"{name}: libavcodec could not allocate an AAC encoder");
        IntPtr packet = av_packet_alloc();
        var encoder = new LibavAacEncoder(context, packet, channels) { SampleRate = sampleRate, BitRate = kbps * 1000 };
        bool ok = packet != IntPtr.Zero
            && av_opt_set_int(context, "b", kbps * 1000L, 0) >= 0
            && av_opt_set_int(context, "ar", sampleRate, 0) >= 0
            && av_opt_set(context, "ch_layout", channels == 1 ? "mono" : "stereo", 0) >= 0
            && av_opt_set(context, "flags", "+global_header", 0) >= 0
            // The sample format has no AVOption for encoders: written at its offset, once the rate the "ar"
            // option wrote is read back at the field next to it (the layout is the one we were built for).
            && Marshal.ReadInt32(context, ContextSampleRate) == sampleRate;
        if (ok)
        {
            Marshal.WriteInt32(context, ContextSampleFormat, SampleFormatFltp);
            ok = avcodec_open2(context, codec, IntPtr.Zero) >= 0;
        }
        if (ok)
        {
            IntPtr extradata = Marshal.ReadIntPtr(context, ContextExtradata);
            int size = Marshal.ReadInt32(context, ContextExtradataSize);
            if (extradata != IntPtr.Zero && size is > 0 and < 64)
            {
                var asc = new byte[size];
                Marshal.Copy(extradata, asc, 0, size);
                encoder.AudioSpecificConfig = asc;
                return encoder;
            }
        }
        encoder.Dispose();
        return null;
    }

    /// <summary>Samples per channel given so far.</summary>
    public long Samples => _samples;

    /// <summary>The packets so far, concatenated, and each one's size.</summary>
    public ReadOnlySpan<byte> Stream => _stream.GetBuffer().AsSpan(0, (int)_stream.Length);
    public IReadOnlyList<int> PacketSizes => _sizes;

    public void Encode(ReadOnlySpan<float> interleaved)
    {
        int frames = interleaved.Length / _channels;
        _samples += frames;
        int at = 0;
        while (at < frames)
        {
            int n = Math.Min(FrameSamples - _filled, frames - at);
            for (int c = 0; c < _channels; c++)
            {
                var plane = _planes[c];
                for (int i = 0; i < n; i++) plane[_filled + i] = interleaved[(at + i) * _channels + c];
            }
            _filled += n;
            at += n;
            if (_filled == FrameSamples) Send(FrameSamples);
        }
    }

    private void Send(int samples)
    {
        IntPtr frame = av_frame_alloc();
        if (frame == IntPtr.Zero) throw new LabelStampException(ErrorCode.ToolFailed, "libavcodec could not allocate a frame");
        try
        {
            Marshal.WriteInt32(frame, FrameNbSamples, samples);
            Marshal.WriteInt32(frame, FrameFormat, SampleFormatFltp);
            av_channel_layout_default(frame + FrameChLayout, _channels);
            Check(av_frame_get_buffer(frame, 0), "allocate a frame");
            for (int c = 0; c < _channels; c++) Marshal.Copy(_planes[c], 0, Marshal.ReadIntPtr(frame, c * IntPtr.Size), samples);
            Check(avcodec_send_frame(_context, frame), "encode");
        }
        finally
        {
            av_frame_free(ref frame);
        }
        _filled = 0;
        Drain();
    }

    private void Drain()
    {
        while (true)
        {
            int r = avcodec_receive_packet(_context, _packet);
            if (r is ErrorAgain or ErrorEof) return;
            Check(r, "encode");
            int size = Marshal.ReadInt32(_packet, PacketSize);
            if (_copy.Length < size) _copy = new byte[Math.Max(size, _copy.Length * 2)];
            Marshal.Copy(Marshal.ReadIntPtr(_packet, PacketData), _copy, 0, size);
            _stream.Write(_copy, 0, size);
            _sizes.Add(size);
            av_packet_unref(_packet);
        }
    }

    /// <summary>Flushes the encoder; the packets are then complete.</summary>
    public void Flush()
    {
        if (_filled > 0) Send(_filled);
        Check(avcodec_send_frame(_context, IntPtr.Zero), "flush");
        Drain();
    }

    /// <summary>Flushes the encoder and returns the MP4: <paramref name="head"/>'s ftyp and moov/udta (the tags
    /// ffmpeg's muxer wrote for the stamp) around our track (<see cref="AacMp4Writer"/>).</summary>
    public byte[] Finish(ReadOnlySpan<byte> head, string name)
    {
        Flush();
        return AacMp4Writer.Write(head, this, name);
    }

    private static void Check(int result, string what)
    {
        if (result < 0) throw new LabelStampException(ErrorCode.ToolFailed, $"libavcodec's AAC encoder failed to {what} ({result})");
    }

    public void Dispose()
    {
        if (_context != IntPtr.Zero) avcodec_free_context(ref _context);
        if (_packet != IntPtr.Zero) av_packet_free(ref _packet);
    }

    [DllImport(Util)] private static extern uint avutil_version();
    [DllImport(Util)] private static extern void av_log_set_level(int level);
    [DllImport(Util)] private static extern IntPtr av_frame_alloc();
    [DllImport(Util)] private static extern void av_frame_free(ref IntPtr frame);
    [DllImport(Util)] private static extern int av_frame_get_buffer(IntPtr frame, int align);
    [DllImport(Util)] private static extern void av_channel_layout_default(IntPtr layout, int channels);
    [DllImport(Util)] private static extern int av_opt_set_int(IntPtr obj, string name, long value, int flags);
    [DllImport(Util)] private static extern int av_opt_set(IntPtr obj, string name, string value, int flags);
    [DllImport(Codec)] private static extern uint avcodec_version();
    [DllImport(Codec)] private static extern IntPtr avcodec_find_encoder_by_name(string name);
    [DllImport(Codec)] private static extern IntPtr avcodec_alloc_context3(IntPtr codec);
    [DllImport(Codec)] private static extern void avcodec_free_context(ref IntPtr context);
    [DllImport(Codec)] private static extern int avcodec_open2(IntPtr context, IntPtr codec, IntPtr options);
    [DllImport(Codec)] private static extern int avcodec_send_frame(IntPtr context, IntPtr frame);
    [DllImport(Codec)] private static extern int avcodec_receive_packet(IntPtr context, IntPtr packet);
    [DllImport(Codec)] private static extern IntPtr av_packet_alloc();
    [DllImport(Codec)] private static extern void av_packet_free(ref IntPtr packet);
    [DllImport(Codec)] private static extern void av_packet_unref(IntPtr packet);
}
