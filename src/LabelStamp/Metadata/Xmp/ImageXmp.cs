using System.Text;
using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Metadata.Containers;
using LabelStamp.Pipeline;

namespace LabelStamp.Metadata.Xmp;

/// <summary>
/// Where XMP lives in each image format (spec §4): JPEG APP1 "http://ns.adobe.com/xap/1.0/",
/// PNG iTXt "XML:com.adobe.xmp" (uncompressed, before IDAT), WebP "XMP " chunk with the VP8X flag.
/// Reading and writing touch only the container, never the pixels.
/// </summary>
public static class ImageXmp
{
    /// <summary>The file's XMP packet, or null when it has none. A packet over
    /// <see cref="MetadataLimits.MaxXmpBytes"/> is refused before it is decoded or inflated.</summary>
    public static string? Read(ReadOnlyMemory<byte> file, MediaFormat format, string name, MetadataLimits? limits = null)
    {
        limits ??= new MetadataLimits();
        if (format == MediaFormat.Jpeg)
        {
            var seg = JpegFile.Parse(file, name).Segments.FirstOrDefault(s => s.IsApp(JpegSegment.App1, XmpNames.JpegApp1Identifier));
            return seg is null ? null : Decode(seg.Payload.Span[XmpNames.JpegApp1Identifier.Length..], limits, name);
        }
        if (format == MediaFormat.Png)
        {
            foreach (var c in PngFile.Parse(file, name, verifyCrc: false).Chunks)
                if (c.Type == "iTXt" && IsPngXmp(c.Data.Span) && ReadPngXmp(c.Data.Span, limits, name) is { } xmp) return xmp;
            return null;
        }
        if (format == MediaFormat.WebP)
        {
            var riff = RiffFile.Parse(file, name);
            int i = riff.IndexOf("XMP ");
            return i < 0 ? null : Decode(riff.Chunks[i].Data.Span, limits, name);
        }
        throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: XMP in {format} is not handled by the image path");
    }

    /// <summary>Returns a copy of <paramref name="file"/> with its XMP replaced by (or set to) <paramref name="xmp"/>.</summary>
    public static byte[] Write(ReadOnlyMemory<byte> file, MediaFormat format, string xmp, string name)
    {
        byte[] packet = Encoding.UTF8.GetBytes(xmp);
        if (format == MediaFormat.Jpeg)
        {
            var jpeg = JpegFile.Parse(file, name);
            byte[] payload = [.. XmpNames.JpegApp1Identifier, .. packet];
            if (payload.Length > JpegSegment.MaxPayload)
                throw new LabelStampException(ErrorCode.MetadataTooLarge, $"{name}: XMP packet of {packet.Length} bytes does not fit one JPEG APP1 segment");
            var segment = new JpegSegment(JpegSegment.App1, payload);
            int i = jpeg.Segments.FindIndex(s => s.IsApp(JpegSegment.App1, XmpNames.JpegApp1Identifier));
            jpeg.Segments.RemoveAll(s => s.IsApp(JpegSegment.App1, XmpNames.JpegApp1Identifier));
            jpeg.Segments.Insert(i >= 0 ? Math.Min(i, jpeg.Segments.Count) : jpeg.MetadataInsertIndex(), segment);
            return jpeg.ToArray();
        }
        if (format == MediaFormat.Png)
        {
            var png = PngFile.Parse(file, name);
            int i = png.Chunks.FindIndex(c => c.Type == "iTXt" && IsPngXmp(c.Data.Span));
            png.Chunks.RemoveAll(c => c.Type == "iTXt" && IsPngXmp(c.Data.Span));
            byte[] keyword = Encoding.Latin1.GetBytes(XmpNames.PngKeyword);
            // keyword \0, compression flag 0, method 0, empty language \0, empty translated keyword \0, text
            byte[] data = [.. keyword, 0, 0, 0, 0, 0, .. packet];
            png.Chunks.Insert(i >= 0 ? i : png.FirstDataIndex(), new PngChunk("iTXt", data));
            return png.ToArray();
        }
        if (format == MediaFormat.WebP)
        {
            var riff = RiffFile.Parse(file, name);
            WebpCanvas.EnsureExtended(riff, WebpCanvas.FlagXmp, name);
            riff.Set(new RiffChunk("XMP ", packet), riff.Chunks.Count); // XMP is the last chunk by the container spec
            return riff.ToArray();
        }
        throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: XMP in {format} is not handled by the image path");
    }

    private static string Decode(ReadOnlySpan<byte> packet, MetadataLimits limits, string name) =>
        packet.Length <= limits.MaxXmpBytes
            ? Encoding.UTF8.GetString(packet)
            : throw TooLarge(name, $"{packet.Length} bytes", limits);

    /// <summary>An iTXt chunk whose keyword names XMP, whatever its text holds.</summary>
    private static bool IsPngXmp(ReadOnlySpan<byte> itxt) => itxt.StartsWith(XmpNames.PngKeywordField);

    /// <summary>The text of an XMP iTXt chunk (null when its header is malformed), inflated when compressed
    /// — never past the packet bound, so a small chunk cannot inflate into gigabytes.</summary>
    private static string? ReadPngXmp(ReadOnlySpan<byte> itxt, MetadataLimits limits, string name)
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
        if (!compressed) return Decode(rest, limits, name);
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
                if (output.Length > limits.MaxXmpBytes) throw TooLarge(name, $"more than {limits.MaxXmpBytes} bytes once inflated", limits);
            }
        }
        catch (InvalidDataException e)
        {
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: compressed XMP iTXt chunk is not valid zlib data ({e.Message})", e);
        }
        return Encoding.UTF8.GetString(output.GetBuffer().AsSpan(0, (int)output.Length));
    }

    private static LabelStampException TooLarge(string name, string size, MetadataLimits limits) =>
        new(ErrorCode.MetadataTooLarge, $"{name}: XMP packet of {size} is over the limit of {limits.MaxXmpBytes} bytes (Limits:Metadata:MaxXmpBytes)");
}
