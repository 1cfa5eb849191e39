using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using LabelStamp.Errors;

namespace LabelStamp.Provenance;

/// <summary>
/// ISO BMFF (MP4, MOV, M4A): the store is a top-level 'uuid' box with the C2PA user type right after
/// 'ftyp' (C2PA §A.4.2): FullBox version 0, purpose "manifest", a 64-bit merkle offset (0), then the store.
/// Inserting it moves every later byte, so the sample tables' chunk offsets (stco/co64) are moved with
/// them; otherwise players would read the wrong samples.
/// </summary>
public sealed class BmffManifestContainer : ManifestContainer
{
    private static ReadOnlySpan<byte> Purpose => "manifest\0"u8;
    private static readonly string[] SampleTableParents = ["moov", "trak", "mdia", "minf", "stbl"];

    public override EmbeddedStore Embed(byte[] file, byte[] store, string name)
    {
        var boxes = TopLevel(file, name);
        int ftyp = boxes.FindIndex(b => b.Type == "ftyp");
        if (ftyp != 0) throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: MP4 does not start with an 'ftyp' box");
        long uuidSize = 8 + 16 + 4 + Purpose.Length + 8 + store.Length;
        if (uuidSize > uint.MaxValue) throw new LabelStampException(ErrorCode.MetadataTooLarge, $"{name}: manifest store too large for an MP4 box");
        var kept = boxes.Where(b => !IsC2pa(file, b)).ToList();
        long insertAt = boxes[0].Offset + boxes[0].Size;
        var output = new byte[kept.Sum(b => b.Size) + uuidSize];
        int p = 0;
        long uuidStart = 0;
        foreach (var box in kept)
        {
            file.AsSpan((int)box.Offset, (int)box.Size).CopyTo(output.AsSpan(p));
            p += (int)box.Size;
            if (box.Type == "ftyp")
            {
                uuidStart = p;
                WriteUuidBox(output.AsSpan(p, (int)uuidSize), store);
                p += (int)uuidSize;
            }
        }
        // Map an offset in the input to the output: boxes removed before it and the new box inserted at
        // insertAt shift it.
        long Map(long old)
        {
            long shift = old >= insertAt ? uuidSize : 0;
            foreach (var b in boxes)
                if (IsC2pa(file, b) && b.Offset + b.Size <= old) shift -= b.Size;
            return old + shift;
        }
        foreach (var box in kept)
            if (box.Type == "moov") FixChunkOffsets(output, box, name, Map, OutputOffset(kept, box, uuidSize));
        return new EmbeddedStore(output, [new HashExclusion(uuidStart, uuidSize)]);
    }

    public override byte[]? Extract(byte[] file, string name)
    {
        foreach (var box in TopLevel(file, name))
        {
            if (!IsC2pa(file, box)) continue;
            int payload = (int)box.Offset + box.Header + 16 + 4;
            var rest = file.AsSpan(payload, (int)(box.Offset + box.Size - payload));
            int nul = rest.IndexOf((byte)0);
            if (nul < 0) throw new LabelStampException(ErrorCode.ManifestInvalid, $"{name}: C2PA 'uuid' box is malformed");
            if (!rest[..nul].SequenceEqual("manifest"u8)) continue;
            return rest[(nul + 1 + 8)..].ToArray();
        }
        return null;
    }

    /// <summary>
    /// The <c>c2pa.hash.bmff.v3</c> value (C2PA §18.6): SHA-256 over every top-level box except 'ftyp',
    /// 'mfra' and the C2PA 'uuid' box, each preceded by its file offset as a 64-bit big-endian integer,
    /// so moving a box breaks the binding even when its bytes are unchanged.
    /// </summary>
    public static byte[] Hash(byte[] file, string name)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> offset = stackalloc byte[8];
        foreach (var box in TopLevel(file, name))
        {
            if (box.Type is "ftyp" or "mfra" || IsC2pa(file, box)) continue;
            BinaryPrimitives.WriteInt64BigEndian(offset, box.Offset);
            sha.AppendData(offset);
            sha.AppendData(file.AsSpan((int)box.Offset, (int)box.Size));
        }
        return sha.GetHashAndReset();
    }

    private static long OutputOffset(List<Box> kept, Box target, long uuidSize)
    {
        long pos = 0;
        foreach (var b in kept)
        {
            if (b == target) return pos;
            pos += b.Size;
            if (b.Type == "ftyp") pos += uuidSize;
        }
        return pos;
    }

    private static void WriteUuidBox(Span<byte> s, byte[] store)
    {
        BinaryPrimitives.WriteUInt32BigEndian(s, (uint)s.Length);
        "uuid"u8.CopyTo(s[4..]);
        C2paIds.BmffBoxUuid.CopyTo(s[8..]);
        s.Slice(24, 4).Clear(); // version 0, flags 0
        Purpose.CopyTo(s[28..]);
        s.Slice(28 + Purpose.Length, 8).Clear(); // no merkle tree
        store.CopyTo(s[(36 + Purpose.Length)..]);
    }

    private static void FixChunkOffsets(byte[] output, Box moov, string name, Func<long, long> map, long outPosOf)
    {
        Walk(output, outPosOf + moov.Header, outPosOf + moov.Size, 0);

        void Walk(byte[] buf, long start, long end, int depth)
        {
            long p = start;
            while (p + 8 <= end)
            {
                long size = BinaryPrimitives.ReadUInt32BigEndian(buf.AsSpan((int)p));
                string type = Encoding.ASCII.GetString(buf, (int)p + 4, 4);
                int header = 8;
                if (size == 1) { size = (long)BinaryPrimitives.ReadUInt64BigEndian(buf.AsSpan((int)p + 8)); header = 16; }
                else if (size == 0) size = end - p;
                if (size < header || p + size > end) throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: MP4 box '{type}' inside moov is malformed");
                if (type == "stco" || type == "co64")
                {
                    bool wide = type == "co64";
                    long q = p + header + 4;
                    uint count = BinaryPrimitives.ReadUInt32BigEndian(buf.AsSpan((int)q));
                    q += 4;
                    if (q + count * (wide ? 8L : 4L) > p + size) throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: MP4 '{type}' table runs past its box");
                    for (uint i = 0; i < count; i++)
                    {
                        var slot = buf.AsSpan((int)q, wide ? 8 : 4);
                        long old = wide ? (long)BinaryPrimitives.ReadUInt64BigEndian(slot) : BinaryPrimitives.ReadUInt32BigEndian(slot);
                        long moved = map(old);
                        if (wide) BinaryPrimitives.WriteUInt64BigEndian(slot, (ulong)moved);
                        else if (moved > uint.MaxValue) throw new LabelStampException(ErrorCode.MetadataTooLarge, $"{name}: chunk offsets would pass 4 GiB after adding the C2PA box (needs co64)");
                        else BinaryPrimitives.WriteUInt32BigEndian(slot, (uint)moved);
                        q += wide ? 8 : 4;
                    }
                }
                else if (depth < 8 && Array.IndexOf(SampleTableParents, type) >= 0) Walk(buf, p + header, p + size, depth + 1);
                p += size;
            }
        }
    }

    private static bool IsC2pa(byte[] file, Box b) =>
        b.Type == "uuid" && b.Size >= b.Header + 16 && file.AsSpan((int)b.Offset + b.Header, 16).SequenceEqual(C2paIds.BmffBoxUuid);

    private sealed record Box(long Offset, long Size, int Header, string Type);

    private static List<Box> TopLevel(byte[] file, string name)
    {
        var boxes = new List<Box>();
        long p = 0;
        while (p < file.Length)
        {
            if (p + 8 > file.Length) throw new LabelStampException(ErrorCode.TruncatedInput, $"{name}: MP4 ends inside a box header");
            long size = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan((int)p));
            string type = Encoding.ASCII.GetString(file, (int)p + 4, 4);
            int header = 8;
            if (size == 1)
            {
                if (p + 16 > file.Length) throw new LabelStampException(ErrorCode.TruncatedInput, $"{name}: MP4 ends inside a box header");
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(file.AsSpan((int)p + 8));
                header = 16;
            }
            else if (size == 0) size = file.Length - p;
            if (size < header || p + size > file.Length)
                throw new LabelStampException(ErrorCode.TruncatedInput, $"{name}: MP4 box '{type}' at byte {p} runs past the end of the file");
            boxes.Add(new Box(p, size, header, type));
            p += size;
        }
        return boxes;
    }
}
