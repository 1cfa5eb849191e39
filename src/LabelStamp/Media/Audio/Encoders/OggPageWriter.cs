using System.Buffers.Binary;
using LabelStamp.Media.Audio.Ogg;

namespace LabelStamp.Media.Audio.Encoders;

/// <summary>
/// One logical Ogg stream (RFC 3533) written from packets we made: pages of whole packets (a packet is
/// never split across pages, so no page carries the "continued" flag; every codec packet we write is far
/// under the 65,025 bytes a page can hold), the first page flagged beginning of stream, the last end of
/// stream, each page's granule position that of the last packet it completes, and the page CRC (the
/// same polynomial our reader checks). A page is closed when asked (the header packets sit on pages of
/// their own, as ffmpeg's muxer writes them), when the next packet would not fit, or at the end.
/// </summary>
public sealed class OggPageWriter(uint serial)
{
    private const int MaxSegments = 255;
    private readonly MemoryStream _out = new();
    private readonly MemoryStream _body = new();
    private readonly List<byte> _lacing = [];
    private uint _sequence;
    private long _granule = -1;
    private bool _started;

    /// <summary>Bytes written so far (closed pages only).</summary>
    public long Length => _out.Length;

    /// <summary>Adds a packet that ends at <paramref name="granule"/>; <paramref name="closePage"/> closes
    /// the page after it.</summary>
    public void Add(ReadOnlySpan<byte> packet, long granule, bool closePage = false)
    {
        int segments = packet.Length / 255 + 1;
        if (segments > MaxSegments) throw new InvalidOperationException($"an Ogg packet of {packet.Length} bytes does not fit a page");
        if (_lacing.Count + segments > MaxSegments) Flush(false);
        for (int i = 0; i < segments - 1; i++) _lacing.Add(255);
        _lacing.Add((byte)(packet.Length % 255));
        _body.Write(packet);
        _granule = granule;
        if (closePage) Flush(false);
    }

    /// <summary>Whether the open page holds packets.</summary>
    public bool PageOpen => _lacing.Count > 0;

    /// <summary>Closes the open page (the last one of the stream when <paramref name="last"/>).</summary>
    public void Flush(bool last)
    {
        if (_lacing.Count == 0 && !last) return;
        var header = new byte[27 + _lacing.Count];
        "OggS"u8.CopyTo(header);
        header[4] = 0;
        header[5] = (byte)((_started ? 0 : 0x02) | (last ? 0x04 : 0));
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(6), _granule);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(14), serial);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(18), _sequence++);
        header[26] = (byte)_lacing.Count;
        for (int i = 0; i < _lacing.Count; i++) header[27 + i] = _lacing[i];
        var page = new byte[header.Length + _body.Length];
        header.CopyTo(page, 0);
        _body.GetBuffer().AsSpan(0, (int)_body.Length).CopyTo(page.AsSpan(header.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(22), OggPacketReader.Crc(page));
        _out.Write(page);
        _started = true;
        _lacing.Clear();
        _body.SetLength(0);
    }

    /// <summary>Every page, the open one closed as the end of the stream.</summary>
    public byte[] Finish()
    {
        Flush(true);
        return _out.ToArray();
    }
}
