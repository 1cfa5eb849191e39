using System.Buffers.Binary;
using System.Security.Cryptography;
using LabelStamp.Errors;
using LabelStamp.Metadata.Containers;

namespace LabelStamp.Provenance;

/// <summary>
/// ISO BMFF (MP4, MOV, M4A): the store is a top-level 'uuid' box with the C2PA user type right after
/// 'ftyp' (C2PA §A.4.2): FullBox version 0, purpose "manifest", a 64-bit merkle offset (0), then the store.
/// Inserting it moves every later byte, so the sample tables' chunk offsets (stco/co64) and a HEIF image's item
/// locations (iloc) are moved with them; otherwise players would read the wrong samples.
/// </summary>
public sealed class BmffManifestContainer : ManifestContainer
{
    private static ReadOnlySpan<byte> Purpose => "manifest\0"u8;
    private static readonly string[] SampleTableParents = ["moov", "trak", "mdia", "minf", "stbl"];

    public override EmbeddedStore Embed(byte[] file, byte[] store, string name)
    {
        var boxes = BmffReader.Read(file, name);
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
        {
            if (box.Type == "moov") FixChunkOffsets(output, box, name, Map, OutputOffset(kept, box, uuidSize));
            else if (box.Type == "meta") Formats.Heif.HeifItemLocations.Move(output, box with { Offset = OutputOffset(kept, box, uuidSize) }, name, Map); // HEIF images (AVIF)
        }
        return new EmbeddedStore(output, [new HashExclusion(uuidStart, uuidSize)]);
    }

    /// <summary>The store of the C2PA 'uuid' box whose purpose is "update" (an update manifest appends the whole
    /// store anew at the end and renames the first box's purpose to "original"), else "manifest", else "original".</summary>
    public override byte[]? Extract(byte[] file, string name, int maxStoreBytes = int.MaxValue)
    {
        byte[]? manifest = null, original = null, update = null;
        foreach (var box in BmffReader.Read(file, name))
        {
            if (!IsC2pa(file, box)) continue;
            // uuid, version and flags, a NUL-terminated purpose, then for "manifest" an 8-byte offset to
            // the merkle data before the store (C2PA §11.3.4); each step checked against the box's end.
            long payload = box.PayloadStart + 16 + 4;
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
        var top = BmffReader.Read(file, name);
        var markers = new SortedSet<long>(top.Select(b => b.Offset));
        var ranges = new List<(long Start, long Length, bool Marker)>();
        foreach (var ex in exclusions ?? BmffExclusion.Default)
        {
            foreach (var box in Match(file, top, ex.XPath))
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

    /// <summary>Boxes at an xpath ("/a/b[1]"); a step without an index matches every box of that type. Children are
    /// read only inside container boxes, and a malformed child only ends its list: the hash then fails to match.</summary>
    private static IEnumerable<BmffBox> Match(byte[] file, List<BmffBox> top, string xpath)
    {
        var steps = xpath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        IEnumerable<BmffBox> current = [];
        List<BmffBox> level = top;
        for (int i = 0; i < steps.Length; i++)
        {
            string step = steps[i];
            int? index = null;
            int bracket = step.IndexOf('[');
            if (bracket > 0 && step.EndsWith(']') && int.TryParse(step[(bracket + 1)..^1], out int ix)) { index = ix; step = step[..bracket]; }
            var matches = level.Where(b => b.Type == step).ToList();
            if (index is { } n) matches = n >= 0 && n < matches.Count ? [matches[n]] : [];
            current = matches;
            if (i < steps.Length - 1)
                level = [.. matches.Where(b => BmffReader.IsContainer(b.Type)).SelectMany(b => ChildrenForHash(file, b, i + 1))];
        }
        return current;
    }

    /// <summary>'meta' read as the ISO full box, as c2pa-rs reads it, so both hash the same boxes.</summary>
    private static List<BmffBox> ChildrenForHash(byte[] file, BmffBox parent, int depth) =>
        BmffReader.Walk(file, parent.PayloadStart + (parent.Type == "meta" ? 4 : 0), parent.End, depth).Boxes;

    private static long OutputOffset(List<BmffBox> kept, BmffBox target, long uuidSize)
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

    private static void FixChunkOffsets(byte[] output, BmffBox moov, string name, Func<long, long> map, long outPosOf)
    {
        Walk(moov with { Offset = outPosOf }, 1);

        void Walk(BmffBox parent, int depth)
        {
            foreach (var box in BmffReader.ReadChildren(output, parent, depth, name))
            {
                if (box.Type == "stco" || box.Type == "co64") MoveChunkOffsets(output, box, name, map);
                else if (Array.IndexOf(SampleTableParents, box.Type) >= 0) Walk(box, depth + 1);
            }
        }
    }

    /// <summary>Rewrites one chunk offset table (ISO/IEC 14496-12 §8.7.5): version/flags, entry count, then 32-bit
    /// (stco) or 64-bit (co64) offsets.</summary>
    private static void MoveChunkOffsets(byte[] buf, BmffBox table, string name, Func<long, long> map)
    {
        bool wide = table.Type == "co64";
        long q = table.PayloadStart + 4;
        if (q + 4 > table.End) throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: MP4 '{table.Type}' table runs past its box");
        uint count = BinaryPrimitives.ReadUInt32BigEndian(buf.AsSpan((int)q));
        q += 4;
        if (q + count * (wide ? 8L : 4L) > table.End) throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: MP4 '{table.Type}' table runs past its box");
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

    private static bool IsC2pa(byte[] file, BmffBox b) =>
        b.Type == "uuid" && b.Size >= b.HeaderSize + 16 && file.AsSpan((int)b.PayloadStart, 16).SequenceEqual(C2paIds.BmffBoxUuid);
}
