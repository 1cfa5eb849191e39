using System.Buffers.Binary;
using LabelStamp.Errors;

namespace LabelStamp.Media.Audio.Ogg;

/// <summary>
/// The packets of a single-stream Ogg file (RFC 3533) in order: pages checked (capture pattern, version 0,
/// CRC-32, one serial number, page sequence numbers without gaps) and their lacing joined into packets,
/// a packet continued across pages as one. Everything it refuses is a typed error raised before the
/// packet is handed out: a damaged page or a packet over <see cref="MaxPacketBytes"/> → corrupt, a page
/// cut off by the end of the file → truncated, a second logical stream (a chained or multiplexed file,
/// or anything after the page that ends the stream) → unsupported (ffmpeg reads those). Works on the file in memory; packets are copied out only when
/// they span pages.
/// </summary>
public sealed class OggPacketReader
{
    /// <summary>Far above any audio packet (Opus ≤ 61,440 bytes for 120 ms, Vorbis setup headers a few
    /// tens of KiB); a larger one is a hostile lacing table, not audio.</summary>
    public const int MaxPacketBytes = 1 << 20;

    private static readonly uint[] CrcTable = BuildCrcTable();

    private readonly ReadOnlyMemory<byte> _file;
    private readonly string _name;
    private int _page;           // offset of the page being read
    private int _body;           // offset of the next unread body byte
    private int _segment;        // next lacing value of the page
    private int _segments;
    private uint _serial;
    private uint _sequence;
    private bool _started;
    private bool _ended;
    private byte[] _partial = [];
    private int _partialLength;

    public OggPacketReader(ReadOnlyMemory<byte> file, string name)
    {
        _file = file;
        _name = name;
        _page = -1;
    }

    /// <summary>The next packet, or false at the end of the stream (its last page, or the end of the file
    /// after a whole page).</summary>
    public bool TryNext(out ReadOnlyMemory<byte> packet)
    {
        var file = _file.Span;
        while (true)
        {
            if (_page < 0 || _segment == _segments)
            {
                if (_ended && _body < file.Length)
                    throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{_name}: data after the end of the Ogg stream (a chained file)");
                if (_ended || !NextPage(file))
                {
                    if (_partialLength > 0) throw new LabelStampException(ErrorCode.TruncatedInput, $"{_name}: the Ogg stream ends inside a packet");
                    packet = default;
                    return false;
                }
            }
            int start = _body, length = 0;
            bool complete = false;
            while (_segment < _segments)
            {
                int lace = file[_page + 27 + _segment++];
                length += lace;
                if (lace < 255) { complete = true; break; }
            }
            _body += length;
            if (_partialLength + length > MaxPacketBytes)
                throw new LabelStampException(ErrorCode.CorruptInput, $"{_name}: an Ogg packet is longer than {MaxPacketBytes} bytes");
            if (!complete || _partialLength > 0)
            {
                if (_partial.Length < _partialLength + length) Array.Resize(ref _partial, Math.Max(_partialLength + length, 2 * _partial.Length));
                file.Slice(start, length).CopyTo(_partial.AsSpan(_partialLength));
                _partialLength += length;
                if (!complete) continue;
                packet = _partial.AsSpan(0, _partialLength).ToArray();
                _partialLength = 0;
                return true;
            }
            packet = _file.Slice(start, length);
            return true;
        }
    }

    private bool NextPage(ReadOnlySpan<byte> file)
    {
        int at = _page < 0 ? 0 : _body;
        if (at == file.Length) return false;
        if (at + 27 > file.Length) throw new LabelStampException(ErrorCode.TruncatedInput, $"{_name}: an Ogg page header is cut off at byte {at}");
        if (!file[at..].StartsWith("OggS"u8)) throw Corrupt($"no Ogg page at byte {at}");
        if (file[at + 4] != 0) throw Corrupt($"Ogg page of version {file[at + 4]} at byte {at}");
        int flags = file[at + 5];
        uint serial = BinaryPrimitives.ReadUInt32LittleEndian(file[(at + 14)..]);
        uint sequence = BinaryPrimitives.ReadUInt32LittleEndian(file[(at + 18)..]);
        int segments = file[at + 26];
        if (at + 27 + segments > file.Length) throw new LabelStampException(ErrorCode.TruncatedInput, $"{_name}: an Ogg lacing table is cut off at byte {at}");
        int body = 0;
        for (int i = 0; i < segments; i++) body += file[at + 27 + i];
        int end = at + 27 + segments + body;
        if (end > file.Length) throw new LabelStampException(ErrorCode.TruncatedInput, $"{_name}: an Ogg page body is cut off at byte {at}");
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(file[(at + 22)..]);
        if (Crc(file[at..end]) != stored) throw Corrupt($"Ogg page CRC mismatch at byte {at}");
        if (!_started)
        {
            if ((flags & 2) == 0) throw Corrupt("the first Ogg page does not begin a stream");
            _serial = serial;
            _started = true;
        }
        else
        {
            if (serial != _serial) throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{_name}: more than one logical Ogg stream");
            if (sequence != _sequence + 1) throw Corrupt($"Ogg page {sequence} follows page {_sequence} (a page is missing)");
        }
        bool continued = (flags & 1) != 0;
        if (continued != (_partialLength > 0)) throw Corrupt($"Ogg page at byte {at} breaks packet continuation");
        _sequence = sequence;
        _ended = (flags & 4) != 0;
        _page = at;
        _segment = 0;
        _segments = segments;
        _body = at + 27 + segments;
        return true;
    }

    /// <summary>The page checksum: CRC-32, polynomial 0x04C11DB7, not reflected, initial value 0, over
    /// the page with its CRC field taken as zero (RFC 3533 §6).</summary>
    internal static uint Crc(ReadOnlySpan<byte> page)
    {
        uint crc = 0;
        for (int i = 0; i < page.Length; i++)
        {
            byte b = i is >= 22 and < 26 ? (byte)0 : page[i];
            crc = (crc << 8) ^ CrcTable[(crc >> 24) ^ b];
        }
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint r = i << 24;
            for (int k = 0; k < 8; k++) r = (r & 0x8000_0000) != 0 ? (r << 1) ^ 0x04C1_1DB7 : r << 1;
            table[i] = r;
        }
        return table;
    }

    private LabelStampException Corrupt(string what) => new(ErrorCode.CorruptInput, $"{_name}: {what}");
}
