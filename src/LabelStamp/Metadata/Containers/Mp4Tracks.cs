using System.Buffers.Binary;

namespace LabelStamp.Metadata.Containers;

/// <summary>
/// The media kinds of an MP4/MOV's tracks, read from each <c>moov/trak/mdia/hdlr</c> handler type
/// ("vide", "soun", …) without starting a process. Routing an MP4 to the audio or the video path needs
/// only this; an ffprobe run costs ≈ 0.15 CPU-s (bench/VIDEO.md). Cover art is an <c>ilst</c> item,
/// not a track, so it never counts as video.
/// </summary>
public static class Mp4Tracks
{
    /// <summary>Each track's handler type and first sample-entry format (e.g. ("vide", "avc1"),
    /// ("soun", "mp4a")) in file order, or null when the top-level boxes or the moov box cannot be walked
    /// (truncated, corrupt, no moov): the caller then asks a real demuxer.</summary>
    public static IReadOnlyList<(string Handler, string Format)>? Read(ReadOnlySpan<byte> file)
    {
        long p = 0;
        while (p + 8 <= file.Length)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(file[(int)p..]);
            int header = 8;
            if (size == 1)
            {
                if (p + 16 > file.Length) return null;
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(file[((int)p + 8)..]);
                header = 16;
            }
            else if (size == 0) size = file.Length - p;
            if (size < header || size > file.Length - p) return null;
            if (file.Slice((int)p + 4, 4).SequenceEqual("moov"u8))
                return Tracks(file.Slice((int)p + header, (int)(size - header)));
            p += size;
        }
        return null;
    }

    private static List<(string, string)>? Tracks(ReadOnlySpan<byte> moov)
    {
        if (Children(moov) is not { } boxes) return null;
        var tracks = new List<(string, string)>();
        foreach (var (type, start, length) in boxes)
        {
            if (type != "trak") continue;
            var mdia = Child(moov.Slice(start, length), "mdia");
            var hdlr = Child(mdia, "hdlr");
            // hdlr: version/flags (4), pre_defined (4), handler_type (4).
            if (hdlr.Length < 12) return null; // a track without a handler: not a file to route by its bytes
            // stsd: version/flags (4), entry count (4), then the first entry's size (4) and format (4).
            var stsd = Child(Child(Child(mdia, "minf"), "stbl"), "stsd");
            string format = stsd.Length >= 16 ? Latin1(stsd.Slice(12, 4)) : "";
            tracks.Add((Latin1(hdlr.Slice(8, 4)), format));
        }
        return tracks;
    }

    /// <summary>The payload of the first child box of a type, or empty.</summary>
    private static ReadOnlySpan<byte> Child(ReadOnlySpan<byte> payload, string type)
    {
        if (Children(payload) is { } boxes)
            foreach (var (t, start, length) in boxes)
                if (t == type) return payload.Slice(start, length);
        return default;
    }

    /// <summary>The child boxes of a container payload (32-bit sizes: moov's children never need more),
    /// or null when a box runs past the payload. Fewer than 8 trailing bytes (QuickTime's zero
    /// terminator) are allowed.</summary>
    private static List<(string Type, int Start, int Length)>? Children(ReadOnlySpan<byte> payload)
    {
        var boxes = new List<(string, int, int)>();
        int p = 0;
        while (p + 8 <= payload.Length)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(payload[p..]);
            if (size == 0 && payload[p..].IndexOfAnyExcept((byte)0) < 0) break; // zero padding to the end
            if (size < 8 || size > payload.Length - p) return null;
            boxes.Add((Latin1(payload.Slice(p + 4, 4)), p + 8, (int)size - 8));
            p += (int)size;
        }
        return boxes;
    }

    private static string Latin1(ReadOnlySpan<byte> b) => System.Text.Encoding.Latin1.GetString(b);
}
