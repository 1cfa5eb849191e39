using System.Buffers.Binary;
using System.Text;
using LabelStamp.Errors;

namespace LabelStamp.Metadata.Containers;

/// <summary>
/// A RIFF file (WebP, WAV) as its list of top-level chunks. Sizes and the odd-size pad byte are
/// recomputed on write, so chunks can be added, replaced or removed freely.
/// </summary>
public sealed class RiffFile
{
    private RiffFile(string form, List<RiffChunk> chunks)
    {
        Form = form;
        Chunks = chunks;
    }

    /// <summary>The form type after the RIFF header: "WEBP" or "WAVE".</summary>
    public string Form { get; }

    public List<RiffChunk> Chunks { get; }

    public static RiffFile Parse(ReadOnlyMemory<byte> data, string name)
    {
        var b = data.Span;
        if (b.Length < 12 || !b.StartsWith("RIFF"u8))
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: not a RIFF file");
        string form = Encoding.ASCII.GetString(b.Slice(8, 4));
        long declared = 8L + BinaryPrimitives.ReadUInt32LittleEndian(b[4..]);
        if (declared > b.Length)
            throw new LabelStampException(ErrorCode.TruncatedInput, $"{name}: RIFF header declares {declared} bytes but the file has {b.Length}");
        int end = (int)declared, p = 12;
        var chunks = new List<RiffChunk>();
        while (p + 8 <= end)
        {
            string id = Encoding.ASCII.GetString(b.Slice(p, 4));
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(b[(p + 4)..]);
            if (p + 8 + (long)size > end)
                throw new LabelStampException(ErrorCode.TruncatedInput, $"{name}: RIFF chunk '{id}' runs past the end of the file");
            chunks.Add(new RiffChunk(id, data.Slice(p + 8, (int)size)));
            p += 8 + (int)size + (int)(size & 1);
        }
        if (chunks.Count == 0) throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: RIFF file has no chunks");
        return new RiffFile(form, chunks);
    }

    public int IndexOf(string fourCC) => Chunks.FindIndex(c => c.FourCC == fourCC);

    /// <summary>Replaces the first chunk with this FourCC (dropping any later duplicates) or inserts it.</summary>
    public void Set(RiffChunk chunk, int insertIndex)
    {
        int i = IndexOf(chunk.FourCC);
        if (i >= 0)
        {
            Chunks[i] = chunk;
            for (int j = Chunks.Count - 1; j > i; j--)
                if (Chunks[j].FourCC == chunk.FourCC) Chunks.RemoveAt(j);
        }
        else Chunks.Insert(Math.Clamp(insertIndex, 0, Chunks.Count), chunk);
    }

    public byte[] ToArray()
    {
        long body = 4 + Chunks.Sum(c => 8L + c.Data.Length + (c.Data.Length & 1));
        if (body > uint.MaxValue) throw new LabelStampException(ErrorCode.MetadataTooLarge, "RIFF file would exceed 4 GiB");
        var output = new byte[8 + body];
        "RIFF"u8.CopyTo(output);
        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(4), (uint)body);
        Encoding.ASCII.GetBytes(Form, output.AsSpan(8, 4));
        int p = 12;
        foreach (var c in Chunks)
        {
            Encoding.ASCII.GetBytes(c.FourCC, output.AsSpan(p, 4));
            BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(p + 4), (uint)c.Data.Length);
            c.Data.Span.CopyTo(output.AsSpan(p + 8));
            p += 8 + c.Data.Length + (c.Data.Length & 1); // pad byte stays zero
        }
        return output;
    }
}
