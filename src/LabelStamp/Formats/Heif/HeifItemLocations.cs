using System.Buffers.Binary;
using LabelStamp.Errors;

using LabelStamp.Metadata.Containers;

namespace LabelStamp.Formats.Heif;

/// <summary>
/// Moves the file offsets of a HEIF/AVIF item location box ('iloc', ISO/IEC 14496-12 §8.11.3) when bytes are inserted
/// before the data they point at (the C2PA 'uuid' box goes right after 'ftyp'); otherwise decoders read the wrong
/// bytes, as with MP4 chunk offsets. Only items stored by file offset (construction method 0) move; items in 'idat'
/// (method 1) or built from other items (method 2) are relative and stay.
/// </summary>
public static class HeifItemLocations
{
    /// <summary>Rewrites, in place, every absolute offset of the 'iloc' inside <paramref name="meta"/> through <paramref name="map"/>.</summary>
    public static void Move(byte[] file, BmffBox meta, string name, Func<long, long> map)
    {
        if (BmffReader.WalkChildren(file, meta, 1).First("iloc") is not { } iloc) return;
        var s = file.AsSpan((int)iloc.PayloadStart, (int)(iloc.End - iloc.PayloadStart));
        int p = 0;
        int version = (int)Read(s, ref p, 1, name);
        p += 3; // flags
        int sizes = (int)Read(s, ref p, 2, name);
        int offsetSize = sizes >> 12, lengthSize = (sizes >> 8) & 0xF, baseOffsetSize = (sizes >> 4) & 0xF;
        int indexSize = version is 1 or 2 ? sizes & 0xF : 0;
        long count = Read(s, ref p, version < 2 ? 2 : 4, name);
        for (long i = 0; i < count; i++)
        {
            p += version < 2 ? 2 : 4; // item_ID
            int method = version is 1 or 2 ? (int)(Read(s, ref p, 2, name) & 0xF) : 0;
            p += 2; // data_reference_index
            int baseAt = p;
            long baseOffset = Read(s, ref p, baseOffsetSize, name);
            long extents = Read(s, ref p, 2, name);
            bool baseMoved = false;
            for (long e = 0; e < extents; e++)
            {
                p += indexSize;
                int offsetAt = p;
                long offset = Read(s, ref p, offsetSize, name);
                p += lengthSize;
                if (method != 0) continue;
                long moved = map(baseOffset + offset) - (baseOffset + offset);
                if (moved == 0) continue;
                // With a base offset the shift is applied once, to the base (all of an item's extents sit after the
                // insertion point, in its 'mdat'); without one, to each extent.
                if (baseOffsetSize > 0) { if (!baseMoved) Write(s, baseAt, baseOffsetSize, baseOffset + moved, name); baseMoved = true; }
                else if (offsetSize > 0) Write(s, offsetAt, offsetSize, offset + moved, name);
                else throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: HEIF item stored by file offset has neither a base nor an extent offset");
            }
        }
    }

    private static long Read(ReadOnlySpan<byte> s, ref int p, int size, string name)
    {
        if (size == 0) return 0;
        if (size is not (1 or 2 or 4 or 8) || p + size > s.Length)
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: HEIF item location box ('iloc') is malformed");
        long value = size switch
        {
            1 => s[p],
            2 => BinaryPrimitives.ReadUInt16BigEndian(s[p..]),
            4 => BinaryPrimitives.ReadUInt32BigEndian(s[p..]),
            _ => (long)BinaryPrimitives.ReadUInt64BigEndian(s[p..]),
        };
        p += size;
        return value;
    }

    private static void Write(Span<byte> s, int at, int size, long value, string name)
    {
        if (size == 4 && value > uint.MaxValue)
            throw new LabelStampException(ErrorCode.MetadataTooLarge, $"{name}: HEIF item offsets would pass 4 GiB after adding the C2PA box");
        if (size == 4) BinaryPrimitives.WriteUInt32BigEndian(s[at..], (uint)value);
        else if (size == 8) BinaryPrimitives.WriteUInt64BigEndian(s[at..], (ulong)value);
        else throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: HEIF item location box ('iloc') has {size}-byte offsets");
    }
}
