using System.Buffers.Binary;
using System.Text;
using LabelStamp.Errors;

namespace LabelStamp.Metadata.Containers;

/// <summary>
/// The one reader of ISO BMFF box headers (ISO/IEC 14496-12 §4.2): 32-bit sizes, 64-bit <c>largesize</c>
/// (size field 1) and "to the end" boxes (size field 0), with bounds on nesting and on siblings so a
/// hostile file cannot make a walk deep or long. Every consumer (track routing, the iTunes item list,
/// the C2PA uuid box and its hash, the chunk-offset fix-up, sniffing of AVIF/HEIC) reads boxes here.
/// <see cref="Walk"/> reports where it stopped for callers that fall back (routing asks ffprobe instead);
/// <see cref="Read"/> and <see cref="ReadChildren"/> turn a bad box into a typed error.
/// </summary>
public static class BmffReader
{
    /// <summary>moov/trak/mdia/minf/stbl/stsd is 6 deep; 8 leaves room for udta/meta/ilst items and meta/iinf.</summary>
    public const int MaxDepth = 8;

    /// <summary>A fragmented MP4 of three hours at one fragment per frame (60 fps) has about 1.3 M top-level boxes.</summary>
    public const int MaxBoxesPerLevel = 1 << 21;

    /// <summary>Box types whose payload is a list of boxes (ISO/IEC 14496-12).</summary>
    private static readonly string[] ContainerTypes = ["moov", "trak", "mdia", "minf", "stbl", "udta", "dinf", "edts", "moof", "traf", "mvex", "meta"];

    /// <summary>Whether a box of this type holds child boxes.</summary>
    public static bool IsContainer(string type) => Array.IndexOf(ContainerTypes, type) >= 0;

    /// <summary>The sibling boxes in [<paramref name="start"/>, <paramref name="end"/>), stopping at the first that
    /// does not fit. <paramref name="depth"/> is the nesting level of those boxes (0 for the file's top level).</summary>
    public static BmffWalk Walk(ReadOnlySpan<byte> file, long start, long end, int depth = 0)
    {
        var boxes = new List<BmffBox>();
        if (depth > MaxDepth) return new(boxes, BmffStop.TooDeep, start, null);
        end = Math.Min(end, file.Length);
        long p = start;
        while (p < end)
        {
            if (end - p < 8) return new(boxes, BmffStop.TrailingBytes, p, null);
            if (boxes.Count == MaxBoxesPerLevel) return new(boxes, BmffStop.TooManyBoxes, p, null);
            long size = BinaryPrimitives.ReadUInt32BigEndian(file[(int)p..]);
            string type = Encoding.Latin1.GetString(file.Slice((int)p + 4, 4));
            int header = 8;
            bool toEnd = false;
            if (size == 1)
            {
                if (end - p < 16) return new(boxes, BmffStop.LargeSizeCut, p, type);
                ulong large = BinaryPrimitives.ReadUInt64BigEndian(file[((int)p + 8)..]);
                if (large > long.MaxValue) return new(boxes, BmffStop.Overrun, p, type);
                size = (long)large;
                header = 16;
            }
            else if (size == 0)
            {
                size = end - p;
                toEnd = true;
            }
            if (size < header) return new(boxes, BmffStop.SizeTooSmall, p, type);
            if (size > end - p) return new(boxes, BmffStop.Overrun, p, type);
            boxes.Add(new BmffBox(p, size, header, type, toEnd));
            p += size;
        }
        return new(boxes, BmffStop.Complete, p, null);
    }

    /// <summary>The child boxes of <paramref name="parent"/> (at nesting level <paramref name="depth"/>), skipping a
    /// full box's version and flags where the container is one ('meta' in ISO BMFF, but not in QuickTime).</summary>
    public static BmffWalk WalkChildren(ReadOnlySpan<byte> file, BmffBox parent, int depth) =>
        Walk(file, ChildrenStart(file, parent), parent.End, depth);

    /// <summary>Where a box's children start. 'meta' is a full box in ISO BMFF (4 bytes of version/flags first)
    /// but a plain container in QuickTime files; the 'hdlr' that leads either tells which.</summary>
    public static long ChildrenStart(ReadOnlySpan<byte> file, BmffBox box)
    {
        long start = box.PayloadStart;
        if (box.Type == "meta" && !(start + 8 <= file.Length && file.Slice((int)start + 4, 4).SequenceEqual("hdlr"u8))) start += 4;
        return start;
    }

    /// <summary>The file's top-level boxes; a cut or overrunning box is <see cref="ErrorCode.TruncatedInput"/>.</summary>
    public static List<BmffBox> Read(ReadOnlySpan<byte> file, string name)
    {
        var walk = Walk(file, 0, file.Length);
        return walk.Stop switch
        {
            BmffStop.Complete => walk.Boxes,
            BmffStop.TrailingBytes or BmffStop.LargeSizeCut =>
                throw new LabelStampException(ErrorCode.TruncatedInput, $"{name}: MP4 ends inside a box header"),
            BmffStop.TooManyBoxes => throw TooComplex(name),
            _ => throw new LabelStampException(ErrorCode.TruncatedInput, $"{name}: MP4 box '{walk.Type}' at byte {walk.At} runs past the end of the file"),
        };
    }

    /// <summary>The children of <paramref name="parent"/> (whose children sit at <paramref name="depth"/>); a malformed
    /// child is <see cref="ErrorCode.CorruptInput"/>, too deep or too many is <see cref="ErrorCode.MetadataTooComplex"/>.</summary>
    public static List<BmffBox> ReadChildren(ReadOnlySpan<byte> file, BmffBox parent, int depth, string name)
    {
        var walk = Walk(file, parent.PayloadStart, parent.End, depth);
        return walk.Stop switch
        {
            BmffStop.Complete or BmffStop.TrailingBytes => walk.Boxes,
            BmffStop.TooManyBoxes or BmffStop.TooDeep => throw TooComplex(name),
            _ => throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: MP4 box '{walk.Type}' inside {parent.Type} is malformed"),
        };
    }

    private static LabelStampException TooComplex(string name) =>
        new(ErrorCode.MetadataTooComplex, $"{name}: MP4 boxes nested deeper than {MaxDepth} or more than {MaxBoxesPerLevel} side by side; re-mux the file");
}
