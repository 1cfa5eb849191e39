using System.Runtime.InteropServices;
using LabelStamp.Errors;

namespace LabelStamp.Media.Audio.Encoders;

/// <summary>
/// Ogg Vorbis by the system libvorbis/libvorbisenc (libvorbisenc.so.2, libvorbis.so.0: the libraries
/// behind ffmpeg's <c>libvorbis</c> encoder), set up as ffmpeg's wrapper sets them for
/// <c>-c:a libvorbis -q:a Q</c>: VBR at quality Q / 10, the stream's rate and channels, no other
/// encoder controls. libvorbis' own analysis → block → bitrate-management loop makes the packets and their
/// granule positions (the last one ends at the input's sample count); the identification and setup
/// headers are libvorbis', the comment header is the one ffmpeg's muxer wrote with the stamp's tags, and
/// the pages are ours (<see cref="OggPageWriter"/>). libvorbis' state structures are opaque here: they
/// live in zeroed native blocks larger than any of them, and only the <c>ogg_packet</c> it hands back is
/// read (its layout is fixed by the Ogg ABI).
/// </summary>
public sealed class LibvorbisEncoder : IPcmEncoder
{
    public const string Library = "libvorbis.so.0", EncLibrary = "libvorbisenc.so.2";
    /// <summary>Room for vorbis_info (56 bytes on x86-64), vorbis_comment (32), vorbis_dsp_state (≈ 150) and
    /// vorbis_block (≈ 190): each gets this much.</summary>
    private const int StateBytes = 1024;
    /// <summary>ogg_packet: packet pointer, bytes, b_o_s, e_o_s (longs), granulepos, packetno (int64).</summary>
    private const int PacketBytes = 48, PacketData = 0, PacketLength = 8, PacketGranule = 32;
    /// <summary>Samples per channel handed to libvorbis per call.</summary>
    private const int Block = 4096;

    private readonly int _channels, _rate;
    private readonly float[][] _planes;
    private readonly List<(byte[] Packet, long Granule)> _packets = [];
    private readonly byte[] _identification, _setup;
    private IntPtr _info, _comment, _dsp, _block, _packet;

    private static readonly Lazy<bool> Loaded = new(() => NativeCodecs.TryLoad(Library) && NativeCodecs.TryLoad(EncLibrary));

    /// <summary>Whether libvorbis and libvorbisenc are on this machine.</summary>
    public static bool Available => Loaded.Value;

    private LibvorbisEncoder(int channels, int rate, IntPtr info, IntPtr comment, IntPtr dsp, IntPtr block, IntPtr packet, byte[] identification, byte[] setup)
    {
        _channels = channels;
        _rate = rate;
        _info = info; _comment = comment; _dsp = dsp; _block = block; _packet = packet;
        _identification = identification;
        _setup = setup;
        _planes = new float[channels][];
        for (int c = 0; c < channels; c++) _planes[c] = new float[Block];
    }

    /// <summary>An encoder for <paramref name="channels"/> (1 or 2: Vorbis orders more channels differently from
    /// ffmpeg) at <paramref name="sampleRate"/> and libvorbis quality <paramref name="quality"/> (0–10, ffmpeg's -q:a).</summary>
    public static LibvorbisEncoder Create(int sampleRate, int channels, int quality, string name)
    {
        if (channels is < 1 or > 2)
            throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: the in-process Vorbis encoder takes 1 or 2 channels, not {channels}");
        IntPtr info = Zeroed(StateBytes), comment = Zeroed(StateBytes), dsp = Zeroed(StateBytes), block = Zeroed(StateBytes);
        IntPtr header = Zeroed(PacketBytes * 3), packet = Zeroed(PacketBytes);
        bool infoReady = false, dspReady = false, blockReady = false;
        try
        {
            vorbis_info_init(info);
            infoReady = true;
            vorbis_comment_init(comment);
            int r = vorbis_encode_init_vbr(info, channels, sampleRate, quality / 10f);
            if (r != 0) throw new LabelStampException(ErrorCode.ToolFailed, $"{name}: libvorbis refused {channels} channels at {sampleRate} Hz, quality {quality} ({r})");
            if (vorbis_analysis_init(dsp, info) != 0) throw new LabelStampException(ErrorCode.ToolFailed, $"{name}: libvorbis analysis could not start");
            dspReady = true;
            vorbis_block_init(dsp, block);
            blockReady = true;
            if (vorbis_analysis_headerout(dsp, comment, header, header + PacketBytes, header + 2 * PacketBytes) != 0)
                throw new LabelStampException(ErrorCode.ToolFailed, $"{name}: libvorbis gave no headers");
            byte[] identification = PacketCopy(header), setup = PacketCopy(header + 2 * PacketBytes);
            Marshal.FreeHGlobal(header);
            header = IntPtr.Zero;
            return new LibvorbisEncoder(channels, sampleRate, info, comment, dsp, block, packet, identification, setup);
        }
        catch
        {
            if (blockReady) vorbis_block_clear(block);
            if (dspReady) vorbis_dsp_clear(dsp);
            vorbis_comment_clear(comment);
            if (infoReady) vorbis_info_clear(info);
            foreach (var p in new[] { info, comment, dsp, block, header, packet }) if (p != IntPtr.Zero) Marshal.FreeHGlobal(p);
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
            IntPtr buffers = vorbis_analysis_buffer(_dsp, n);
            for (int c = 0; c < _channels; c++)
            {
                var plane = _planes[c];
                for (int i = 0; i < n; i++) plane[i] = block[i * _channels + c];
                Marshal.Copy(plane, 0, Marshal.ReadIntPtr(buffers, c * IntPtr.Size), n);
            }
            Check(vorbis_analysis_wrote(_dsp, n));
            Drain();
        }
    }

    /// <summary>The Ogg Vorbis file: libvorbis' identification header on a page of its own, the head's
    /// comment header and libvorbis' setup header on the next, then the audio pages, in the head's serial.</summary>
    public byte[] Finish(ReadOnlySpan<byte> head, string name)
    {
        Check(vorbis_analysis_wrote(_dsp, 0));
        Drain();
        var (serial, comments) = OggHead.Comments(head, "\u0003vorbis"u8, name);
        var ogg = new OggPageWriter(serial);
        ogg.Add(_identification, 0, closePage: true);
        ogg.Add(comments, 0);
        ogg.Add(_setup, 0, closePage: true);
        long pageStart = 0;
        foreach (var (packet, granule) in _packets)
        {
            ogg.Add(packet, granule);
            if (granule - pageStart >= _rate)
            {
                ogg.Flush(false);
                pageStart = granule;
            }
        }
        return ogg.Finish();
    }

    /// <summary>Every packet libvorbis has ready.</summary>
    private void Drain()
    {
        while (vorbis_analysis_blockout(_dsp, _block) == 1)
        {
            Check(vorbis_analysis(_block, IntPtr.Zero));
            Check(vorbis_bitrate_addblock(_block));
            while (vorbis_bitrate_flushpacket(_dsp, _packet) == 1)
                _packets.Add((PacketCopy(_packet), Marshal.ReadInt64(_packet, PacketGranule)));
        }
    }

    private static byte[] PacketCopy(IntPtr packet)
    {
        long length = Marshal.ReadInt64(packet, PacketLength);
        if (length is < 0 or > 1 << 20) throw new LabelStampException(ErrorCode.ToolFailed, $"libvorbis made a packet of {length} bytes");
        var bytes = new byte[length];
        Marshal.Copy(Marshal.ReadIntPtr(packet, PacketData), bytes, 0, (int)length);
        return bytes;
    }

    private static void Check(int result)
    {
        if (result < 0) throw new LabelStampException(ErrorCode.ToolFailed, $"libvorbis failed to encode ({result})");
    }

    private static IntPtr Zeroed(int bytes)
    {
        IntPtr p = Marshal.AllocHGlobal(bytes);
        Marshal.Copy(new byte[bytes], 0, p, bytes);
        return p;
    }

    public void Dispose()
    {
        if (_info == IntPtr.Zero) return;
        vorbis_block_clear(_block);
        vorbis_dsp_clear(_dsp);
        vorbis_comment_clear(_comment);
        vorbis_info_clear(_info);
        foreach (var p in new[] { _info, _comment, _dsp, _block, _packet }) Marshal.FreeHGlobal(p);
        _info = _comment = _dsp = _block = _packet = IntPtr.Zero;
    }

    [DllImport(Library)] private static extern void vorbis_info_init(IntPtr info);
    [DllImport(Library)] private static extern void vorbis_info_clear(IntPtr info);
    [DllImport(Library)] private static extern void vorbis_comment_init(IntPtr comment);
    [DllImport(Library)] private static extern void vorbis_comment_clear(IntPtr comment);
    [DllImport(EncLibrary)] private static extern int vorbis_encode_init_vbr(IntPtr info, long channels, long rate, float quality);
    [DllImport(Library)] private static extern int vorbis_analysis_init(IntPtr dsp, IntPtr info);
    [DllImport(Library)] private static extern int vorbis_block_init(IntPtr dsp, IntPtr block);
    [DllImport(Library)] private static extern int vorbis_block_clear(IntPtr block);
    [DllImport(Library)] private static extern void vorbis_dsp_clear(IntPtr dsp);
    [DllImport(Library)] private static extern int vorbis_analysis_headerout(IntPtr dsp, IntPtr comment, IntPtr header, IntPtr comments, IntPtr code);
    [DllImport(Library)] private static extern IntPtr vorbis_analysis_buffer(IntPtr dsp, int samples);
    [DllImport(Library)] private static extern int vorbis_analysis_wrote(IntPtr dsp, int samples);
    [DllImport(Library)] private static extern int vorbis_analysis_blockout(IntPtr dsp, IntPtr block);
    [DllImport(Library)] private static extern int vorbis_analysis(IntPtr block, IntPtr packet);
    [DllImport(Library)] private static extern int vorbis_bitrate_addblock(IntPtr block);
    [DllImport(Library)] private static extern int vorbis_bitrate_flushpacket(IntPtr dsp, IntPtr packet);
}
