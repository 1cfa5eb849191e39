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
                return Tracks(file, (int)p + header, (int)(p + size));
            p += size;
        }
        return null;
    }

    private static List<(string, string)>? Tracks(ReadOnlySpan<byte> file, int start, int end)
    {
        var boxes = BmffBox.Children(file, start, end, out bool complete);
        if (!complete) return null;
        var tracks = new List<(string, string)>();
        foreach (var trak in boxes)
        {
            if (trak.Type != "trak") continue;
            var mdia = Child(file, trak, "mdia");
            // hdlr: version/flags (4), pre_defined (4), handler_type (4).
            if (Child(file, mdia, "hdlr") is not { Size: >= 20 } hdlr) return null; // a track without a handler: not a file to route by its bytes
            // stsd: version/flags (4), entry count (4), then the first entry's size (4) and format (4).
            var stsd = Child(file, Child(file, Child(file, mdia, "minf"), "stbl"), "stsd");
            string format = stsd is { Size: >= 24 } entry ? Latin1(file.Slice(entry.PayloadStart + 12, 4)) : "";
            tracks.Add((Latin1(file.Slice(hdlr.PayloadStart + 8, 4)), format));
        }
        return tracks;
    }

    /// <summary>The first child box of a type, or null (also when <paramref name="parent"/> is null).</summary>
    private static BmffBox? Child(ReadOnlySpan<byte> file, BmffBox? parent, string type)
    {
        if (parent is not { } p) return null;
        foreach (var box in BmffBox.Children(file, p.PayloadStart, p.End, out _))
            if (box.Type == type) return box;
        return null;
    }

    private static string Latin1(ReadOnlySpan<byte> b) => System.Text.Encoding.Latin1.GetString(b);
}
