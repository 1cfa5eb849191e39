using System.Buffers.Binary;
using System.Text;

namespace LabelStamp.Metadata.Containers;

/// <summary>
/// The item list of an MP4/M4A's <c>moov/udta/meta/ilst</c>, for what ffmpeg cannot carry itself: its
/// MP4 muxer writes the GB 45438 <c>AIGC</c> key only as mdta metadata (<c>-movflags use_metadata_tags</c>),
/// and in that mode drops the iTunes <c>covr</c> item (cover art). The item is copied back as it was.
/// Readers that map ilst item types to key indices (ffmpeg, exiftool) read an item whose type is not an
/// index, such as <c>covr</c>, as the iTunes item it is. Only moov boxes that end the file are edited,
/// so no sample's chunk offset moves (ffmpeg writes M4A that way unless asked for faststart).
/// </summary>
public static class Mp4ItemList
{
    /// <summary>The first item box of the given type (e.g. "covr"), header included, or null.</summary>
    public static byte[]? FindItem(ReadOnlySpan<byte> file, string type)
    {
        if (Locate(file) is not { } path) return null;
        var (ilstStart, ilstEnd) = Payload(file, path[^1]);
        foreach (var item in Children(file, ilstStart, ilstEnd))
            if (item.Type == type) return file.Slice(item.Offset, item.Size).ToArray();
        return null;
    }

    /// <summary>
    /// Appends <paramref name="items"/> (whole item boxes) to the item list and grows every enclosing box.
    /// Null when the file has no udta/meta/ilst, or its moov is not the last box (editing it would move
    /// the media data), or a box uses a 64-bit size.
    /// </summary>
    public static byte[]? AppendItems(ReadOnlySpan<byte> file, ReadOnlySpan<byte> items)
    {
        if (Locate(file) is not { } path) return null;
        var moov = path[0];
        if (moov.Offset + moov.Size != file.Length) return null;
        foreach (var box in path)
            if (box.Size + (long)items.Length > uint.MaxValue) return null;
        var ilst = path[^1];
        int insertAt = ilst.Offset + ilst.Size;
        var output = new byte[file.Length + items.Length];
        file[..insertAt].CopyTo(output);
        items.CopyTo(output.AsSpan(insertAt));
        file[insertAt..].CopyTo(output.AsSpan(insertAt + items.Length));
        foreach (var box in path) // moov, udta, meta, ilst all end at or after the insertion point
            BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(box.Offset), (uint)(box.Size + items.Length));
        return output;
    }

    private readonly record struct Box(int Offset, int Size, string Type);

    /// <summary>moov, udta, meta, ilst (outermost first), or null when the path is not there.</summary>
    private static Box[]? Locate(ReadOnlySpan<byte> file)
    {
        var path = new Box[4];
        int start = 0, end = file.Length;
        string[] types = ["moov", "udta", "meta", "ilst"];
        for (int level = 0; level < types.Length; level++)
        {
            Box? found = null;
            foreach (var box in Children(file, start, end))
                if (box.Type == types[level]) { found = box; break; }
            if (found is not { } b) return null;
            path[level] = b;
            (start, end) = Payload(file, b);
        }
        return path;
    }

    /// <summary>Where a box's children start and end. 'meta' is a full box in ISO BMFF (4 bytes of
    /// version/flags first) but a plain container in QuickTime files; the 'hdlr' that leads either tells which.</summary>
    private static (int Start, int End) Payload(ReadOnlySpan<byte> file, Box box)
    {
        int start = box.Offset + 8;
        if (box.Type == "meta" && !(start + 8 <= file.Length && file.Slice(start + 4, 4).SequenceEqual("hdlr"u8))) start += 4;
        return (start, box.Offset + box.Size);
    }

    private static List<Box> Children(ReadOnlySpan<byte> file, int start, int end)
    {
        var boxes = new List<Box>();
        int p = start;
        while (p + 8 <= end)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(file[p..]);
            // 64-bit sizes (1) and "to the end" (0) do not occur in the small boxes edited here; stop reading.
            if (size < 8 || size > end - p) break;
            boxes.Add(new Box(p, (int)size, Encoding.Latin1.GetString(file.Slice(p + 4, 4))));
            p += (int)size;
        }
        return boxes;
    }
}
