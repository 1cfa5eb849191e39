using System.Buffers.Binary;
using LabelStamp.Errors;

namespace LabelStamp.Metadata.Containers;

/// <summary>
/// A JPEG split into its header segments and the rest (from the first SOS to the end, untouched).
/// Metadata edits rewrite segments only; the entropy-coded data is copied as bytes, never re-encoded.
/// </summary>
public sealed class JpegFile
{
    private JpegFile(List<JpegSegment> segments, ReadOnlyMemory<byte> scan)
    {
        Segments = segments;
        Scan = scan;
    }

    /// <summary>Segments between SOI and the first SOS, in file order. Edit freely.</summary>
    public List<JpegSegment> Segments { get; }

    /// <summary>Everything from the first SOS marker on (scan, later tables, EOI, trailing data).</summary>
    public ReadOnlyMemory<byte> Scan { get; }

    public static JpegFile Parse(ReadOnlyMemory<byte> data, string name)
    {
        var b = data.Span;
        if (b.Length < 4 || b[0] != 0xFF || b[1] != 0xD8)
            throw Corrupt(name, "does not start with a JPEG SOI marker");
        var segments = new List<JpegSegment>();
        int p = 2;
        while (true)
        {
            if (p + 4 > b.Length) throw new LabelStampException(ErrorCode.TruncatedInput, $"{name}: JPEG ends inside its header");
            if (b[p] != 0xFF) throw Corrupt(name, $"expected a marker at byte {p}");
            byte marker = b[p + 1];
            if (marker == 0xFF) { p++; continue; } // fill bytes
            if (marker == JpegSegment.Sos) return new JpegFile(segments, data[p..]);
            if (marker is 0xD8 or 0xD9 or (>= 0xD0 and <= 0xD7) or 0x01)
                throw Corrupt(name, $"unexpected marker 0x{marker:X2} before the first scan");
            int len = BinaryPrimitives.ReadUInt16BigEndian(b[(p + 2)..]);
            if (len < 2) throw Corrupt(name, $"segment 0x{marker:X2} has length {len}");
            if (p + 2 + len > b.Length) throw new LabelStampException(ErrorCode.TruncatedInput, $"{name}: JPEG ends inside segment 0x{marker:X2}");
            segments.Add(new JpegSegment(marker, data.Slice(p + 4, len - 2)));
            p += 2 + len;
        }
    }

    /// <summary>Image size from the start-of-frame segment, read without decoding.</summary>
    public (int Width, int Height, int Components) FrameSize(string name)
    {
        var sof = Segments.FirstOrDefault(s => s.IsStartOfFrame)
                  ?? throw Corrupt(name, "has no start-of-frame segment before its scan");
        var s = sof.Payload.Span;
        if (s.Length < 6) throw Corrupt(name, "has a short start-of-frame segment");
        return (BinaryPrimitives.ReadUInt16BigEndian(s[3..]), BinaryPrimitives.ReadUInt16BigEndian(s[1..]), s[5]);
    }

    public byte[] ToArray()
    {
        long size = 2 + Scan.Length + Segments.Sum(s => 4L + s.Payload.Length);
        var output = new byte[size];
        output[0] = 0xFF; output[1] = 0xD8;
        int p = 2;
        foreach (var seg in Segments)
        {
            if (seg.Payload.Length > JpegSegment.MaxPayload)
                throw new LabelStampException(ErrorCode.MetadataTooLarge, $"JPEG segment 0x{seg.Marker:X2} payload of {seg.Payload.Length} bytes exceeds {JpegSegment.MaxPayload}");
            output[p] = 0xFF; output[p + 1] = seg.Marker;
            BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(p + 2), (ushort)(seg.Payload.Length + 2));
            seg.Payload.Span.CopyTo(output.AsSpan(p + 4));
            p += 4 + seg.Payload.Length;
        }
        Scan.Span.CopyTo(output.AsSpan(p));
        return output;
    }

    /// <summary>Where new APPn metadata goes: after JFIF/Exif APP0/APP1 at the front, before tables.</summary>
    public int MetadataInsertIndex()
    {
        int i = 0;
        while (i < Segments.Count && Segments[i].Marker is JpegSegment.App0 or JpegSegment.App1) i++;
        return i;
    }

    private static LabelStampException Corrupt(string name, string what) =>
        new(ErrorCode.CorruptInput, $"{name}: JPEG {what}");
}
