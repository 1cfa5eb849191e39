using System.Buffers.Binary;
using System.Text;
using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Metadata.Containers;
using LabelStamp.Metadata.Xmp;
using LabelStamp.Pipeline;
using LabelStamp.Provenance;
using NetVips;

namespace LabelStamp.Formats.Png;

/// <summary>PNG: its 8-byte signature; interlace and bit depth read from IHDR; XMP in an iTXt "XML:com.adobe.xmp" chunk
/// (uncompressed, before IDAT); the C2PA store in a caBX chunk (C2PA §A.3.2).</summary>
public sealed class PngModule : ImageFormatModule
{
    public override MediaFormat Format => MediaFormat.Png;

    public override bool Matches(ReadOnlySpan<byte> b) => b.StartsWith(PngFile.Signature);

    public override ManifestContainer CreateManifestContainer() => new PngManifestContainer();

    public override ImageHeader ReadHeader(ReadOnlyMemory<byte> data, string name)
    {
        var png = PngFile.Parse(data, name, verifyCrc: false);
        var (w, h, depth, _) = png.Header;
        return new ImageHeader(Format, w, h) { PngBitDepth = depth, PngInterlaced = png.Chunks[0].Data.Span[12] == 1 };
    }

    public override Image Load(Source source, Enums.Access access, Enums.FailOn failOn) => Image.PngloadSource(source, access: access, failOn: failOn);

    public override byte[] Save(Image image, ImageHeader header, ImageEncodeOptions options, string name) =>
        image.PngsaveBuffer(compression: options.PngCompression, filter: options.PngFilter ?? Enums.ForeignPngFilter.None, interlace: header.PngInterlaced, keep: KeepAllButXmp);

    /// <summary>The same encoder and settings as <see cref="Save"/>, written to a target: at 100 MP the
    /// file is 100+ MB, and libvips' memory target grows its buffer by reallocation and then hands it over
    /// to be copied into a managed array, two copies beside the frame.</summary>
    public override void SaveTo(Image image, ImageHeader header, ImageEncodeOptions options, string name, List<byte[]> output)
    {
        using var target = new TargetCustom();
        target.OnWrite += (buffer, length) =>
        {
            output.Add(length == buffer.Length ? buffer : buffer[..length]);
            return length;
        };
        image.PngsaveTarget(target, compression: options.PngCompression, filter: options.PngFilter ?? Enums.ForeignPngFilter.None, interlace: header.PngInterlaced, keep: KeepAllButXmp);
    }

    public override string? ReadXmp(ReadOnlyMemory<byte> file, string name, MetadataLimits limits)
    {
        foreach (var c in PngFile.Parse(file, name, verifyCrc: false).Chunks)
            if (c.Type == "iTXt" && IsXmpChunk(c.Data.Span) && ReadXmpChunk(c.Data.Span, limits, name) is { } xmp) return xmp;
        return null;
    }

    public override byte[] WriteXmp(ReadOnlyMemory<byte> file, string xmp, string name)
    {
        var png = PngFile.Parse(file, name);
        int i = png.Chunks.FindIndex(c => c.Type == "iTXt" && IsXmpChunk(c.Data.Span));
        png.Chunks.RemoveAll(c => c.Type == "iTXt" && IsXmpChunk(c.Data.Span));
        png.Chunks.Insert(i >= 0 ? i : png.FirstDataIndex(), new PngChunk("iTXt", XmpChunkData(xmp)));
        return png.ToArray();
    }

    /// <summary>An XMP iTXt chunk's data: keyword \0, compression flag 0, method 0, empty language \0, empty translated keyword \0, text.</summary>
    private static byte[] XmpChunkData(string xmp) => [.. Encoding.Latin1.GetBytes(XmpNames.PngKeyword), 0, 0, 0, 0, 0, .. Encoding.UTF8.GetBytes(xmp)];

    public override bool XmpAtJoin => true;

    /// <summary>
    /// The chunk goes in before the first IDAT while the pieces are copied into the file, where <see cref="WriteXmp"/>
    /// would parse the joined file (a CRC pass over all of it) and copy it once more: 0.2 ms of a 256 px stamp, about
    /// 2.5 ms at 10 MB (bench/WATERMARK.md, thirteenth step). Only the chunk headers are read. Whatever
    /// <see cref="WriteXmp"/> would treat otherwise (an XMP chunk already there, bytes after IEND, a damaged chunk
    /// list) takes the join-then-edit way, so the file is the same either way.
    /// </summary>
    public override byte[] JoinWithXmp(List<byte[]> pieces, string xmp, string name)
    {
        var file = new PieceReader(pieces);
        if (FirstDataOffset(file) is not long at) return base.JoinWithXmp(pieces, xmp, name);
        byte[] data = XmpChunkData(xmp);
        long size = file.Length + 12L + data.Length;
        if (size > Array.MaxLength) return base.JoinWithXmp(pieces, xmp, name);
        var output = GC.AllocateUninitializedArray<byte>((int)size);
        file.CopyTo(0, output.AsSpan(0, (int)at));
        int chunk = PngFile.WriteChunk(output.AsSpan((int)at), "iTXt", data);
        file.CopyTo(at, output.AsSpan((int)at + chunk));
        return output;
    }

    /// <summary>Where <see cref="WriteXmp"/> would put the XMP chunk in the file <paramref name="file"/> holds (the first
    /// IDAT, else IEND), or null when it would do more than insert one there: the file has an XMP chunk already,
    /// anything after IEND, or a chunk list that does not walk from the signature to IEND.</summary>
    private static long? FirstDataOffset(PieceReader file)
    {
        Span<byte> head = stackalloc byte[8];
        Span<byte> keyword = stackalloc byte[XmpNames.PngKeywordField.Length];
        if (file.Length < 8) return null;
        file.CopyTo(0, head);
        if (!head.SequenceEqual(PngFile.Signature)) return null;
        long p = 8, at = -1;
        while (true)
        {
            if (p + 12 > file.Length) return null;
            file.CopyTo(p, head);
            long length = BinaryPrimitives.ReadUInt32BigEndian(head);
            if (p + 12 + length > file.Length) return null;
            var type = head[4..];
            if (type.SequenceEqual("iTXt"u8) && length >= keyword.Length)
            {
                file.CopyTo(p + 8, keyword);
                if (keyword.SequenceEqual(XmpNames.PngKeywordField)) return null;
            }
            bool end = type.SequenceEqual("IEND"u8);
            if (at < 0 && (end || type.SequenceEqual("IDAT"u8))) at = p;
            p += 12 + length;
            if (end) return p == file.Length ? at : null;
        }
    }

    /// <summary>The encoder's pieces read as one file without joining them.</summary>
    private sealed class PieceReader(List<byte[]> pieces)
    {
        public long Length { get; } = pieces.Sum(p => (long)p.Length);

        /// <summary>Copies the bytes from <paramref name="offset"/> on into <paramref name="destination"/>.</summary>
        public void CopyTo(long offset, Span<byte> destination)
        {
            foreach (byte[] piece in pieces)
            {
                if (destination.IsEmpty) return;
                if (offset >= piece.Length) { offset -= piece.Length; continue; }
                int n = (int)Math.Min(piece.Length - offset, destination.Length);
                piece.AsSpan((int)offset, n).CopyTo(destination);
                destination = destination[n..];
                offset = 0;
            }
        }
    }

    /// <summary>An iTXt chunk whose keyword names XMP, whatever its text holds.</summary>
    private static bool IsXmpChunk(ReadOnlySpan<byte> itxt) => itxt.StartsWith(XmpNames.PngKeywordField);

    /// <summary>The text of an XMP iTXt chunk (null when its header is malformed), inflated when compressed
    /// — never past the packet bound, so a small chunk cannot inflate into gigabytes.</summary>
    private static string? ReadXmpChunk(ReadOnlySpan<byte> itxt, MetadataLimits limits, string name)
    {
        var rest = itxt[XmpNames.PngKeywordField.Length..];
        if (rest.Length < 2) return null;
        bool compressed = rest[0] == 1;
        rest = rest[2..];
        int lang = rest.IndexOf((byte)0);
        if (lang < 0) return null;
        rest = rest[(lang + 1)..];
        int translated = rest.IndexOf((byte)0);
        if (translated < 0) return null;
        rest = rest[(translated + 1)..];
        if (!compressed) return XmpText.Decode(rest, limits, name);
        using var input = new MemoryStream(rest.ToArray());
        using var z = new System.IO.Compression.ZLibStream(input, System.IO.Compression.CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        try
        {
            while ((n = z.Read(buffer)) > 0)
            {
                output.Write(buffer, 0, n);
                if (output.Length > limits.MaxXmpBytes) throw XmpText.TooLarge(name, $"more than {limits.MaxXmpBytes} bytes once inflated", limits);
            }
        }
        catch (InvalidDataException e)
        {
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: compressed XMP iTXt chunk is not valid zlib data ({e.Message})", e);
        }
        return Encoding.UTF8.GetString(output.GetBuffer().AsSpan(0, (int)output.Length));
    }
}
