using System.Buffers.Binary;
using LabelStamp.Errors;
using LabelStamp.Metadata.Containers;

namespace LabelStamp.Provenance;

/// <summary>
/// JPEG: the store travels in APP11 segments as a JUMBF box (C2PA §A.3.1, ISO 19566-5 / JPEG XT Part 3).
/// Each segment payload is CI "JP", box instance En, packet sequence Z (from 1), then the superbox's
/// LBox/TBox repeated, then the next slice of the superbox payload. A store larger than one segment is
/// split across consecutive segments with the same En.
/// </summary>
public sealed class JpegManifestContainer : ManifestContainer
{
    private const int SegmentOverhead = 2 + 2 + 4 + 8; // CI, En, Z, repeated LBox/TBox

    public override EmbeddedStore Embed(byte[] file, byte[] store, string name)
    {
        var jpeg = JpegFile.Parse(file, name);
        RemoveC2pa(jpeg);
        // Other JUMBF boxes (non-C2PA) may already use box instance numbers; pick a free one (ISO 19566-5 §B.2).
        var used = new HashSet<int>();
        foreach (var seg in jpeg.Segments) if (IsJumbf(seg, out int en, out _)) used.Add(en);
        int instance = 1;
        while (used.Contains(instance)) instance++;
        var segments = Split(store, name, instance);
        int index = jpeg.MetadataInsertIndex();
        jpeg.Segments.InsertRange(index, segments);
        long start = 2;
        for (int i = 0; i < index; i++) start += 4 + jpeg.Segments[i].Payload.Length;
        long length = segments.Sum(s => 4L + s.Payload.Length);
        return new EmbeddedStore(jpeg.ToArray(), [new HashExclusion(start, length)]);
    }

    /// <summary>The APP11 segments <see cref="Split"/> makes for a store of this length have the same markers,
    /// lengths, instance and sequence numbers whatever its bytes: only the repeated LBox/TBox and each
    /// segment's slice of the superbox payload are written again, in place.</summary>
    public override EmbeddedStore Refill(byte[] file, EmbeddedStore placed, byte[] store, string name)
    {
        if (store.Length < 8 || placed.Exclusions is not [var e] || e.Start < 0 || e.Start + e.Length > placed.File.Length)
            return Embed(file, store, name);
        var range = placed.File.AsSpan((int)e.Start, (int)e.Length);
        int chunk = JpegSegment.MaxPayload - SegmentOverhead;
        int at = 0, from = 8;
        // Checked segment by segment against Split's layout before anything is written.
        for (int p = 0; p < range.Length;)
        {
            if (p + 4 + SegmentOverhead > range.Length || range[p] != 0xFF || range[p + 1] != JpegSegment.App11) return Embed(file, store, name);
            int payload = BinaryPrimitives.ReadUInt16BigEndian(range[(p + 2)..]) - 2;
            if (payload < SegmentOverhead || p + 4 + payload > range.Length || payload - SegmentOverhead > chunk) return Embed(file, store, name);
            at += payload - SegmentOverhead;
            p += 4 + payload;
        }
        if (at != store.Length - 8) return Embed(file, store, name);
        for (int p = 0; p < range.Length;)
        {
            int payload = BinaryPrimitives.ReadUInt16BigEndian(range[(p + 2)..]) - 2;
            store.AsSpan(0, 8).CopyTo(range[(p + 4 + 8)..]);
            store.AsSpan(from, payload - SegmentOverhead).CopyTo(range[(p + 4 + SegmentOverhead)..]);
            from += payload - SegmentOverhead;
            p += 4 + payload;
        }
        return placed;
    }

    public override byte[]? Extract(byte[] file, string name, int maxStoreBytes = int.MaxValue)
    {
        var jpeg = JpegFile.Parse(file, name);
        int? instance = null;
        var parts = new List<(uint Seq, ReadOnlyMemory<byte> Data)>();
        byte[]? header = null;
        foreach (var seg in jpeg.Segments)
        {
            if (!IsJumbf(seg, out int en, out uint seq)) continue;
            var body = seg.Payload[8..];
            if (instance is null)
            {
                if (!IsC2paStoreStart(body.Span)) continue;
                instance = en;
                header = body[..8].ToArray();
                parts.Add((seq, body[8..]));
            }
            else if (en == instance) parts.Add((seq, body.Length >= 8 ? body[8..] : ReadOnlyMemory<byte>.Empty));
        }
        if (header is null) return null;
        long total = 8 + parts.Sum(p => (long)p.Data.Length);
        if (total > maxStoreBytes) throw TooLarge(name, total, maxStoreBytes);
        parts.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        var output = new byte[total];
        header.CopyTo(output, 0);
        int o = 8;
        foreach (var p in parts) { p.Data.Span.CopyTo(output.AsSpan(o)); o += p.Data.Length; }
        return output;
    }

    /// <summary>From the first APP11 segment of the store to the end of its last (they are written together).</summary>
    public override HashExclusion? Locate(byte[] file, string name)
    {
        var jpeg = JpegFile.Parse(file, name);
        int? instance = null;
        long position = 2, start = -1, end = -1;
        foreach (var seg in jpeg.Segments)
        {
            long size = 4 + seg.Payload.Length;
            if (IsJumbf(seg, out int en, out _) && (instance == en || (instance is null && IsC2paStoreStart(seg.Payload.Span[8..]))))
            {
                instance ??= en;
                if (start < 0) start = position;
                end = position + size;
            }
            position += size;
        }
        return start < 0 ? null : new HashExclusion(start, end - start);
    }

    private static List<JpegSegment> Split(byte[] store, string name, int instance)
    {
        if (store.Length < 8) throw new LabelStampException(ErrorCode.Internal, $"{name}: manifest store too small");
        int chunk = JpegSegment.MaxPayload - SegmentOverhead;
        var payload = store.AsMemory(8);
        var segments = new List<JpegSegment>();
        uint seq = 1;
        for (int p = 0; p < payload.Length || seq == 1; p += chunk, seq++)
        {
            int n = Math.Min(chunk, payload.Length - p);
            var seg = new byte[SegmentOverhead + n];
            "JP"u8.CopyTo(seg);
            BinaryPrimitives.WriteUInt16BigEndian(seg.AsSpan(2), (ushort)instance);
            BinaryPrimitives.WriteUInt32BigEndian(seg.AsSpan(4), seq);
            store.AsSpan(0, 8).CopyTo(seg.AsSpan(8));
            payload.Span.Slice(p, n).CopyTo(seg.AsSpan(SegmentOverhead));
            segments.Add(new JpegSegment(JpegSegment.App11, seg));
            if (n == 0) break;
        }
        return segments;
    }

    private static void RemoveC2pa(JpegFile jpeg)
    {
        var instances = new HashSet<int>();
        foreach (var seg in jpeg.Segments)
            if (IsJumbf(seg, out int en, out _) && IsC2paStoreStart(seg.Payload.Span[8..])) instances.Add(en);
        jpeg.Segments.RemoveAll(s => IsJumbf(s, out int en, out _) && instances.Contains(en));
    }

    private static bool IsJumbf(JpegSegment seg, out int instance, out uint sequence)
    {
        instance = 0; sequence = 0;
        var p = seg.Payload.Span;
        if (seg.Marker != JpegSegment.App11 || p.Length < 16 || p[0] != (byte)'J' || p[1] != (byte)'P') return false;
        instance = BinaryPrimitives.ReadUInt16BigEndian(p[2..]);
        sequence = BinaryPrimitives.ReadUInt32BigEndian(p[4..]);
        return true;
    }

    /// <summary>First packet of a C2PA store: a 'jumb' whose description carries the manifest-store UUID.</summary>
    private static bool IsC2paStoreStart(ReadOnlySpan<byte> box) =>
        box.Length >= 8 + 8 + 16 && box.Slice(4, 4).SequenceEqual("jumb"u8) && box.Slice(12, 4).SequenceEqual("jumd"u8)
        && box.Slice(16, 16).SequenceEqual(C2paIds.ManifestStoreUuid);
}
