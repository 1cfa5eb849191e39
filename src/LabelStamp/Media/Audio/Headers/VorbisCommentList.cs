using System.Buffers.Binary;
using System.Text;

namespace LabelStamp.Media.Audio.Headers;

/// <summary>
/// A Vorbis comment list (FLAC's VORBIS_COMMENT block, the Ogg Vorbis and OpusTags packets): vendor
/// string, then "KEY=value" entries, every length little-endian 32-bit. Keys are compared without case,
/// as the format says. A key given twice answers null: ffmpeg joins repeats in its own way, and the
/// caller then asks ffprobe rather than guess it.
/// </summary>
public static class VorbisCommentList
{
    public static Dictionary<string, string>? TryParse(ReadOnlySpan<byte> list, string name)
    {
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int at = Skip(list, 0, name);
        if (at + 4 > list.Length) throw AudioHeader.Truncated(name, "the comment list");
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(list[at..]);
        at += 4;
        for (uint i = 0; i < count; i++)
        {
            int start = at + 4;
            at = Skip(list, at, name);
            var entry = list[start..at];
            int eq = entry.IndexOf((byte)'=');
            if (eq <= 0) continue; // not a field; ffmpeg skips it too
            string key = Encoding.ASCII.GetString(entry[..eq]);
            if (!tags.TryAdd(key, Encoding.UTF8.GetString(entry[(eq + 1)..]))) return null;
        }
        return tags;
    }

    /// <summary>
    /// Where the vendor string and every entry of a comment list lie (each range past its length field),
    /// every length checked against the list; a list that runs past its end is a typed error.
    /// </summary>
    public static (Range Vendor, List<Range> Entries) Entries(ReadOnlySpan<byte> list, string name)
    {
        int at = Skip(list, 0, name);
        var vendor = new Range(4, at);
        if (at + 4 > list.Length) throw AudioHeader.Truncated(name, "the comment list");
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(list[at..]);
        at += 4;
        // Each entry takes at least its 4-byte length: a count the list cannot hold is refused up front.
        if (count > (uint)(list.Length - at) / 4) throw AudioHeader.Truncated(name, "the comment list");
        var entries = new List<Range>((int)count);
        for (uint i = 0; i < count; i++)
        {
            int start = at + 4;
            at = Skip(list, at, name);
            entries.Add(new Range(start, at));
        }
        return (vendor, entries);
    }

    /// <summary>
    /// A copy of the comment list <paramref name="list"/> (empty: none) with every <c>AIGC</c> entry (any
    /// case) replaced by one <c>AIGC=</c><paramref name="aigcJson"/> at the end (GB 45438: exactly one label;
    /// null keeps the list's own), and the vendor string <paramref name="vendor"/> (null keeps the list's).
    /// Every other entry is kept byte for byte and in order. Anything after the entries (Vorbis' framing
    /// bit) is not part of a FLAC block and is not copied.
    /// </summary>
    public static byte[] WithAigc(ReadOnlySpan<byte> list, string? aigcJson, string? vendor, string name)
    {
        var (vendorRange, entries) = list.IsEmpty ? (new Range(0, 0), new List<Range>()) : Entries(list, name);
        byte[] vendorBytes = vendor is not null ? Encoding.UTF8.GetBytes(vendor) : list[vendorRange].ToArray();
        using var output = new MemoryStream();
        var length = new byte[4];
        void WriteString(ReadOnlySpan<byte> s)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)s.Length);
            output.Write(length);
            output.Write(s);
        }
        WriteString(vendorBytes);
        long countAt = output.Position;
        output.Write(length); // the count, written once known
        uint count = 0;
        foreach (var entry in entries)
        {
            var e = list[entry];
            if (aigcJson is not null && IsAigc(e)) continue;
            WriteString(e);
            count++;
        }
        if (aigcJson is not null)
        {
            WriteString(Encoding.UTF8.GetBytes("AIGC=" + aigcJson));
            count++;
        }
        byte[] bytes = output.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)countAt), count);
        return bytes;
    }

    private static bool IsAigc(ReadOnlySpan<byte> entry) =>
        entry.Length >= 5 && entry[4] == (byte)'=' && Ascii.EqualsIgnoreCase(entry[..4], "AIGC"u8);

    /// <summary>Past one length-prefixed string starting at <paramref name="at"/>.</summary>
    private static int Skip(ReadOnlySpan<byte> list, int at, string name)
    {
        if (at + 4 > list.Length) throw AudioHeader.Truncated(name, "the comment list");
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(list[at..]);
        if (length > (uint)(list.Length - at - 4)) throw AudioHeader.Truncated(name, "a comment");
        return at + 4 + (int)length;
    }
}
