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
        return BmffReader.WalkChildren(file, path[^1], depth: 4).First(type) is { } item
            ? file.Slice((int)item.Offset, (int)item.Size).ToArray()
            : null;
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
        if (moov.End != file.Length) return null;
        foreach (var box in path)
            if (!box.HasPlainSize || box.Size + (long)items.Length > uint.MaxValue) return null;
        var ilst = path[^1];
        int insertAt = (int)ilst.End;
        var output = new byte[file.Length + items.Length];
        file[..insertAt].CopyTo(output);
        items.CopyTo(output.AsSpan(insertAt));
        file[insertAt..].CopyTo(output.AsSpan(insertAt + items.Length));
        foreach (var box in path) // moov, udta, meta, ilst all end at or after the insertion point
            BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan((int)box.Offset), (uint)(box.Size + items.Length));
        return output;
    }

    /// <summary>moov, udta, meta, ilst (outermost first), or null when the path is not there.</summary>
    private static BmffBox[]? Locate(ReadOnlySpan<byte> file)
    {
        var path = new BmffBox[4];
        string[] types = ["moov", "udta", "meta", "ilst"];
        var level = BmffReader.Walk(file, 0, file.Length);
        for (int depth = 0; depth < types.Length; depth++)
        {
            if (level.First(types[depth]) is not { } b) return null;
            path[depth] = b;
            level = BmffReader.WalkChildren(file, b, depth + 1);
        }
        return path;
    }
}
