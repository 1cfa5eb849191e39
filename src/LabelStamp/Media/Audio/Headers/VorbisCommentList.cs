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

    /// <summary>Past one length-prefixed string starting at <paramref name="at"/>.</summary>
    private static int Skip(ReadOnlySpan<byte> list, int at, string name)
    {
        if (at + 4 > list.Length) throw AudioHeader.Truncated(name, "the comment list");
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(list[at..]);
        if (length > (uint)(list.Length - at - 4)) throw AudioHeader.Truncated(name, "a comment");
        return at + 4 + (int)length;
    }
}
