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

    /// <summary>The store of the C2PA 'uuid' box whose purpose is "update" (an update manifest appends the whole
    /// store anew at the end and renames the first box's purpose to "original"), else "manifest", else "original".</summary>
    public override byte[]? Extract(byte[] file, string name, int maxStoreBytes = int.MaxValue)
    {
        byte[]? manifest = null, original = null, update = null;
        foreach (var box in TopLevel(file, name))
        {
            if (!IsC2pa(file, box)) continue;
            // uuid, version and flags, a NUL-terminated purpose, then for "manifest" an 8-byte offset to
            // the merkle data before the store (C2PA §11.3.4); each step checked against the box's end.
            long payload = box.Offset + box.Header + 16 + 4;
            long boxEnd = box.Offset + box.Size;
            if (payload > boxEnd) throw Malformed(name);
            var rest = file.AsSpan((int)payload, (int)(boxEnd - payload));
            int nul = rest.IndexOf((byte)0);
            if (nul < 0) throw Malformed(name);
            var purpose = rest[..nul];
            bool isUpdate = purpose.SequenceEqual("update"u8), isManifest = purpose.SequenceEqual("manifest"u8), isOriginal = purpose.SequenceEqual("original"u8);
            if (!isUpdate && !isManifest && !isOriginal) continue;
            if (nul + 1 + 8 > rest.Length) throw Malformed(name);
            byte[] store = Checked(rest[(nul + 1 + 8)..], name, maxStoreBytes);
            if (isUpdate) update ??= store;
            else if (isManifest) manifest ??= store;
            else original ??= store;
        }
        var first = manifest ?? original;
        return update is null ? first : first is null ? update : Merge(first, update, name);
    }

    /// <summary>
    /// One store of the original's manifests followed by the update box's, each kept byte for byte (the update
    /// manifest's ingredient hashes its parent's box exactly): the update box carries only the manifests it adds.
    /// </summary>
    private static byte[] Merge(byte[] original, byte[] update, string name)
    {
        var a = JumbfBox.Parse(original, name);
        var b = JumbfBox.Parse(update, name);
        static IEnumerable<JumbfBox> Manifests(JumbfBox store) =>
            store.Children.Where(c => c.IsSuperBox).Select(c => JumbfBox.Opaque(c.RawBytes.ToArray(), c.Label));
        var known = new HashSet<string?>(a.Children.Where(c => c.IsSuperBox).Select(c => c.Label));
        return JumbfBox.Super(C2paIds.ManifestStoreUuid, C2paIds.StoreLabel, [.. Manifests(a), .. Manifests(b).Where(m => !known.Contains(m.Label))]).ToArray();
    }

    private static LabelStampException Malformed(string name) => new(ErrorCode.ManifestInvalid, $"{name}: C2PA 'uuid' box is malformed");

    /// <summary>
    /// The <c>c2pa.hash.bmff.v2/v3</c> value (C2PA §18.6) without a merkle tree: SHA-256 over the file with
    /// the boxes matched by <paramref name="exclusions"/> left out, and each remaining top-level box
    /// preceded by its file offset as a 64-bit big-endian integer, so moving a box breaks the binding
    /// even when its bytes are unchanged. Default exclusions: <see cref="BmffExclusion.Default"/>.
    /// </summary>
    /// <param name="offsets">False for the v1 assertion (<c>c2pa.hash.bmff</c>), which hashed the boxes without their offsets.</param>
    public static byte[] Hash(byte[] file, string name, IReadOnlyList<BmffExclusion>? exclusions = null, HashAlgorithmName? algorithm = null, bool offsets = true)
    {
        var top = TopLevel(file, name);
        var markers = new SortedSet<long>(top.Select(b => b.Offset));
        var ranges = new List<(long Start, long Length, bool Marker)>();
        foreach (var ex in exclusions ?? BmffExclusion.Default)
        {
            foreach (var box in Match(file, top, ex.XPath, name))
            {
                if (ex.Length is { } len && box.Size != len) continue;
                // Offsets and lengths come from the manifest: compared without adding, so none can overflow.
                if (!ex.Data.All(d => d.Offset >= 0 && d.Offset <= box.Size - d.Value.Length
                                      && file.AsSpan((int)(box.Offset + d.Offset), d.Value.Length).SequenceEqual(d.Value))) continue;
                if (ex.Subset.Count > 0)
                {
                    foreach (var (offset, length) in ex.Subset)
                        if (offset >= 0 && length >= 0 && offset <= box.Size)
                            ranges.Add((box.Offset + offset, length == 0 ? box.Size - offset : Math.Min(length, box.Size - offset), false));
                }
                else
                {
                    markers.Remove(box.Offset);
                    ranges.Add((box.Offset, box.Size, false));
                }
            }
        }
        if (offsets) foreach (var m in markers) ranges.Add((m, 0, true));
        ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
        using var sha = IncrementalHash.CreateHash(algorithm ?? HashAlgorithmName.SHA256);
        Span<byte> offsetBytes = stackalloc byte[8];
        long position = 0;
        foreach (var (start, length, marker) in ranges)
        {
            if (start > position) sha.AppendData(file.AsSpan((int)position, (int)(start - position)));
            if (marker)
            {
                BinaryPrimitives.WriteInt64BigEndian(offsetBytes, start);
                sha.AppendData(offsetBytes);
                position = Math.Max(position, start);
            }
            else position = Math.Max(position, start + length);
        }
        if (position < file.Length) sha.AppendData(file.AsSpan((int)position));
        return sha.GetHashAndReset();
    }

    private static readonly string[] ContainerTypes = ["moov", "trak", "mdia", "minf", "stbl", "udta", "dinf", "edts", "moof", "traf", "mvex", "meta"];

    /// <summary>Boxes at an xpath ("/a/b[1]"); a step without an index matches every box of that type.</summary>
    private static IEnumerable<Box> Match(byte[] file, List<Box> top, string xpath, string name)
    {
        var steps = xpath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        IEnumerable<Box> current = [];
        List<Box> level = top;
        for (int i = 0; i < steps.Length; i++)
        {
            string step = steps[i];
            int? index = null;
            int bracket = step.IndexOf('[');
            if (bracket > 0 && step.EndsWith(']') && int.TryParse(step[(bracket + 1)..^1], out int ix)) { index = ix; step = step[..bracket]; }
            var matches = level.Where(b => b.Type == step).ToList();
            if (index is { } n) matches = n >= 0 && n < matches.Count ? [matches[n]] : [];
            current = matches;
            if (i < steps.Length - 1) level = [.. matches.SelectMany(b => Children(file, b))];
        }
        return current;
    }

    private static List<Box> Children(byte[] file, Box parent)
    {
        if (Array.IndexOf(ContainerTypes, parent.Type) < 0) return [];
        long start = parent.Offset + parent.Header + (parent.Type == "meta" ? 4 : 0); // meta is a FullBox
        var list = new List<Box>();
        long p = start, end = parent.Offset + parent.Size;
        while (p + 8 <= end)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan((int)p));
            string type = Encoding.ASCII.GetString(file, (int)p + 4, 4);
            int header = 8;
            if (size == 1 && p + 16 <= end) { size = (long)BinaryPrimitives.ReadUInt64BigEndian(file.AsSpan((int)p + 8)); header = 16; }
            else if (size == 0) size = end - p;
            if (size < header || p + size > end) break; // a malformed child only ends the walk; the hash then fails to match
            list.Add(new Box(p, size, header, type));
            p += size;
        }
        return list;
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
