using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using LabelStamp.Errors;

namespace LabelStamp.Metadata.Containers;

/// <summary>A PNG as its chunk list. Edits touch ancillary chunks only; image data is copied as bytes.</summary>
public sealed class PngFile
{
    public static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The CRC each parsed chunk carried, when Parse checked it: <see cref="ToArray"/> writes it back
    /// instead of computing it again over the same bytes (at 10 MB of IDAT one CRC pass is about 0.7 ms, and a
    /// stamp rewrites the file three times). Keyed by the chunk object, so a chunk replaced or made with
    /// <c>with</c> gets its CRC computed.</summary>
    private readonly Dictionary<PngChunk, uint> _checkedCrcs;

    private PngFile(List<PngChunk> chunks, Dictionary<PngChunk, uint> checkedCrcs)
    {
        Chunks = chunks;
        _checkedCrcs = checkedCrcs;
    }

    public List<PngChunk> Chunks { get; }

    public static PngFile Parse(ReadOnlyMemory<byte> data, string name, bool verifyCrc = true)
    {
        var b = data.Span;
        if (!b.StartsWith(Signature)) throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: not a PNG signature");
        var chunks = new List<PngChunk>();
        var checkedCrcs = new Dictionary<PngChunk, uint>(ReferenceEqualityComparer.Instance);
        int p = 8;
        while (true)
        {
            if (p + 12 > b.Length) throw new LabelStampException(ErrorCode.TruncatedInput, $"{name}: PNG ends before its IEND chunk");
            uint len = BinaryPrimitives.ReadUInt32BigEndian(b[p..]);
            if (len > int.MaxValue || p + 12 + (long)len > b.Length)
                throw new LabelStampException(ErrorCode.TruncatedInput, $"{name}: PNG chunk at byte {p} runs past the end of the file");
            string type = Encoding.ASCII.GetString(b.Slice(p + 4, 4));
            if (!type.All(char.IsAsciiLetter)) throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: PNG chunk at byte {p} has an invalid type");
            var chunk = new PngChunk(type, data.Slice(p + 8, (int)len));
            if (verifyCrc)
            {
                uint crc = BinaryPrimitives.ReadUInt32BigEndian(b[(p + 8 + (int)len)..]);
                if (Crc32.HashToUInt32(b.Slice(p + 4, 4 + (int)len)) != crc)
                    throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: PNG chunk {type} fails its CRC check");
                checkedCrcs[chunk] = crc;
            }
            chunks.Add(chunk);
            p += 12 + (int)len;
            if (type == "IEND") break;
        }
        if (chunks.Count == 0 || chunks[0].Type != "IHDR" || chunks[0].Data.Length != 13)
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: PNG does not start with a valid IHDR chunk");
        return new PngFile(chunks, checkedCrcs);
    }

    /// <summary>Width, height, bit depth and colour type from IHDR.</summary>
    public (int Width, int Height, int BitDepth, int ColourType) Header
    {
        get
        {
            var h = Chunks[0].Data.Span;
            return ((int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(h), int.MaxValue),
                (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(h[4..]), int.MaxValue), h[8], h[9]);
        }
    }

    /// <summary>Index of the first image-data chunk: ancillary metadata is inserted before it.</summary>
    public int FirstDataIndex()
    {
        int i = Chunks.FindIndex(c => c.Type == "IDAT");
        return i < 0 ? Chunks.Count - 1 : i;
    }

    public byte[] ToArray()
    {
        long size = 8 + Chunks.Sum(c => 12L + c.Data.Length);
        var output = new byte[size];
        Signature.CopyTo(output);
        int p = 8;
        foreach (var chunk in Chunks)
            p += WriteChunk(output.AsSpan(p), chunk.Type, chunk.Data.Span, _checkedCrcs.TryGetValue(chunk, out uint crc) ? crc : null);
        return output;
    }

    /// <summary>One chunk (length, type, data, CRC-32 over type and data) at the start of <paramref name="output"/>;
    /// <paramref name="knownCrc"/> is a CRC already checked on the same bytes. Returns the chunk's size.</summary>
    internal static int WriteChunk(Span<byte> output, string type, ReadOnlySpan<byte> data, uint? knownCrc = null)
    {
        BinaryPrimitives.WriteUInt32BigEndian(output, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, output.Slice(4, 4));
        data.CopyTo(output[8..]);
        uint crc = knownCrc ?? Crc32.HashToUInt32(output.Slice(4, 4 + data.Length));
        BinaryPrimitives.WriteUInt32BigEndian(output[(8 + data.Length)..], crc);
        return 12 + data.Length;
    }
}
