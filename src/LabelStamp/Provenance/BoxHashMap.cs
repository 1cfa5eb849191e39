using System.Buffers.Binary;

namespace LabelStamp.Provenance;

/// <summary>
/// The named boxes a <c>c2pa.hash.boxes</c> hard binding (C2PA 2.x §18.7) lists, in file order, as the reference
/// implementation names them, since an assertion's names must match the asset's boxes one by one:
/// JPEG: "SOI", "APP0".."APP15", "DQT", "DHT", "SOF0".."SOF2", "DRI", "COM", "DAC", "JPG0".."JPG13", "SOS" (its header
/// plus the entropy-coded data and restart markers up to the next marker), "EOI"; the APP11 segments of the C2PA store
/// form one box "C2PA" (APP11 segments of 16 bytes or less are no box). PNG: "PNGh" (the 8-byte signature), then
/// one box per chunk named by its type, the <c>caBX</c> chunk as "C2PA".
/// Null for other formats, or when the bytes do not parse: the binding is then reported, not checked.
/// </summary>
public static class BoxHashMap
{
    public const string C2paBox = "C2PA";

    public readonly record struct Box(string Name, long Start, long Length);

    public static List<Box>? For(byte[] file, string format) => format switch
    {
        "jpeg" => Jpeg(file),
        "png" => Png(file),
        _ => null,
    };

    private static List<Box>? Png(byte[] file)
    {
        if (file.Length < 8) return null;
        var boxes = new List<Box> { new("PNGh", 0, 8) };
        long p = 8;
        while (p + 12 <= file.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan((int)p));
            if (length > file.Length - p - 12) return null;
            string type = System.Text.Encoding.ASCII.GetString(file, (int)p + 4, 4);
            boxes.Add(new Box(type == "caBX" ? C2paBox : type, p, 12L + length));
            p += 12L + length;
            if (type == "IEND") break;
        }
        return boxes;
    }

    private static List<Box>? Jpeg(byte[] file)
    {
        if (file.Length < 4 || file[0] != 0xFF || file[1] != 0xD8) return null;
        var boxes = new List<Box> { new("SOI", 0, 2) };
        int c2pa = -1;
        ushort c2paInstance = 0;
        long p = 2;
        while (p + 1 < file.Length)
        {
            if (file[p] != 0xFF) return null;
            byte marker = file[p + 1];
            if (marker == 0xFF) { p++; continue; } // fill byte before a marker
            if (marker == 0xD9) { boxes.Add(new Box("EOI", p, 2)); break; }
            if (marker is >= 0xD0 and <= 0xD7) { p += 2; continue; } // a stray restart marker is no box
            long size = 2;
            if (HasLength(marker))
            {
                if (p + 4 > file.Length) return null;
                size = 2 + BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan((int)p + 2));
                if (size < 4 || size > file.Length - p) return null;
            }
            if (marker == 0xEB)
            {
                var payload = file.AsSpan((int)p + 4, (int)size - 4);
                if (payload.Length <= 16) { p += size; continue; }
                ushort instance = BinaryPrimitives.ReadUInt16BigEndian(payload[2..]);
                if (c2pa >= 0 && instance == c2paInstance)
                {
                    boxes[c2pa] = boxes[c2pa] with { Length = boxes[c2pa].Length + size };
                    p += size;
                    continue;
                }
                // The store's description box starts with the C2PA store UUID, whose first four bytes spell "c2pa".
                if (payload.Length >= 28 && payload.Slice(24, 4).SequenceEqual("c2pa"u8))
                {
                    c2pa = boxes.Count;
                    c2paInstance = instance;
                    boxes.Add(new Box(C2paBox, p, size));
                    p += size;
                    continue;
                }
            }
            string? name = Name(marker);
            if (name is null) return null;
            if (marker == 0xDA) size += EntropyLength(file, p + size);
            boxes.Add(new Box(name, p, size));
            p += size;
        }
        return boxes;
    }

    /// <summary>Bytes of entropy-coded data from <paramref name="start"/>: up to a marker that is neither a stuffed zero
    /// nor a restart marker (or the end of the file).</summary>
    private static long EntropyLength(byte[] file, long start)
    {
        long i = start;
        while (i < file.Length)
        {
            if (file[i] == 0xFF)
            {
                if (i + 1 >= file.Length) return i + 1 - start;
                byte next = file[i + 1];
                if (!(next == 0x00 || next is >= 0xD0 and <= 0xD7)) break;
                i += 2;
                continue;
            }
            i++;
        }
        return i - start;
    }

    private static bool HasLength(byte marker) =>
        marker is (>= 0xD0 and <= 0xD7) or (>= 0xE0 and <= 0xEF) or (>= 0xC0 and <= 0xCF) or 0xDA or 0xFE or 0xDB or 0xDD;

    private static string? Name(byte marker) => marker switch
    {
        >= 0xE0 and <= 0xEF => "APP" + (marker - 0xE0),
        0xFE => "COM",
        0xC4 => "DHT",
        0xDB => "DQT",
        0xDD => "DRI",
        0xCC => "DAC",
        0xC0 => "SOF0",
        0xC1 => "SOF1",
        0xC2 => "SOF2",
        0xDA => "SOS",
        >= 0xF0 and <= 0xFD => "JPG" + (marker - 0xF0),
        _ => null,
    };
}
