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
        // Boxes after moov may be cut (a partial download of a faststart file): only moov must be whole.
        if (BmffReader.Walk(file, 0, file.Length).First("moov") is not { } moov) return null;
        var children = BmffReader.WalkChildren(file, moov, depth: 1);
        if (!children.Complete) return null;
        var tracks = new List<(string, string)>();
        foreach (var trak in children.Boxes)
        {
            if (trak.Type != "trak") continue;
            var mdia = Child(file, trak, "mdia", 2);
            // hdlr: version/flags (4), pre_defined (4), handler_type (4).
            if (Child(file, mdia, "hdlr", 3) is not { Size: >= 20 } hdlr) return null; // a track without a handler: not a file to route by its bytes
            // stsd: version/flags (4), entry count (4), then the first entry's size (4) and format (4).
            var stsd = Child(file, Child(file, Child(file, mdia, "minf", 3), "stbl", 4), "stsd", 5);
            string format = stsd is { Size: >= 24 } entry ? Latin1(file.Slice((int)entry.PayloadStart + 12, 4)) : "";
            tracks.Add((Latin1(file.Slice((int)hdlr.PayloadStart + 8, 4)), format));
        }
        return tracks;
    }

    /// <summary>The first child box of a type, or null (also when <paramref name="parent"/> is null).</summary>
    private static BmffBox? Child(ReadOnlySpan<byte> file, BmffBox? parent, string type, int depth) =>
        parent is { } p ? BmffReader.WalkChildren(file, p, depth).First(type) : null;

    private static string Latin1(ReadOnlySpan<byte> b) => System.Text.Encoding.Latin1.GetString(b);
}
