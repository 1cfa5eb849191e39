using System.Buffers.Binary;
using System.Text;

namespace LabelStamp.Metadata.Containers;

/// <summary>
/// A box inside an MP4 (ISO BMFF) file: its offset in the file, its whole size (8-byte header
/// included) and its four-character type. The small boxes inside moov that <see cref="Mp4ItemList"/>
/// and <see cref="Mp4Tracks"/> read always use 32-bit sizes.
/// </summary>
internal readonly record struct BmffBox(int Offset, int Size, string Type)
{
    public int PayloadStart => Offset + 8;
    public int End => Offset + Size;

    /// <summary>The child boxes between <paramref name="start"/> and <paramref name="end"/>, stopping at the
    /// first one that does not fit. <paramref name="complete"/> says whether the walk reached the end
    /// (fewer than 8 trailing bytes, such as QuickTime's zero terminator, or zero padding are allowed).</summary>
    public static List<BmffBox> Children(ReadOnlySpan<byte> file, int start, int end, out bool complete)
    {
        var boxes = new List<BmffBox>();
        int p = start;
        complete = true;
        while (p + 8 <= end)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(file[p..]);
            if (size == 0 && file[p..end].IndexOfAnyExcept((byte)0) < 0) break; // zero padding to the end
            if (size < 8 || size > end - p)
            {
                complete = false; // 64-bit sizes (1), "to the end" (0) and overruns: not a walkable child
                break;
            }
            boxes.Add(new BmffBox(p, (int)size, Encoding.Latin1.GetString(file.Slice(p + 4, 4))));
            p += (int)size;
        }
        return boxes;
    }
}
