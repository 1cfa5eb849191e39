using System.Text;
using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Metadata.Containers;

namespace LabelStamp.Metadata.Xmp;

/// <summary>
/// Where XMP lives in each image format (spec §4): JPEG APP1 "http://ns.adobe.com/xap/1.0/",
/// PNG iTXt "XML:com.adobe.xmp" (uncompressed, before IDAT), WebP "XMP " chunk with the VP8X flag.
/// Reading and writing touch only the container, never the pixels.
/// </summary>
public static class ImageXmp
{
    public static string? Read(ReadOnlyMemory<byte> file, MediaFormat format, string name)
    {
        if (format == MediaFormat.Jpeg)
        {
            var seg = JpegFile.Parse(file, name).Segments.FirstOrDefault(s => s.IsApp(JpegSegment.App1, XmpNames.JpegApp1Identifier));
            return seg is null ? null : Encoding.UTF8.GetString(seg.Payload.Span[XmpNames.JpegApp1Identifier.Length..]);
        }
        if (format == MediaFormat.Png)
        {
            foreach (var c in PngFile.Parse(file, name, verifyCrc: false).Chunks)
                if (c.Type == "iTXt" && TryReadPngXmp(c.Data.Span, out string? xmp)) return xmp;
            return null;
        }
        if (format == MediaFormat.WebP)
        {
            var riff = RiffFile.Parse(file, name);
            int i = riff.IndexOf("XMP ");
            return i < 0 ? null : Encoding.UTF8.GetString(riff.Chunks[i].Data.Span);
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
            int i = png.Chunks.FindIndex(c => c.Type == "iTXt" && TryReadPngXmp(c.Data.Span, out _));
            png.Chunks.RemoveAll(c => c.Type == "iTXt" && TryReadPngXmp(c.Data.Span, out _));
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

    private static bool TryReadPngXmp(ReadOnlySpan<byte> itxt, out string? xmp)
    {
        xmp = null;
        int nul = itxt.IndexOf((byte)0);
        if (nul < 0 || !itxt[..nul].SequenceEqual(Encoding.Latin1.GetBytes(XmpNames.PngKeyword))) return false;
        var rest = itxt[(nul + 1)..];
        if (rest.Length < 2) return false;
        bool compressed = rest[0] == 1;
        rest = rest[2..];
        int lang = rest.IndexOf((byte)0);
        if (lang < 0) return false;
        rest = rest[(lang + 1)..];
        int translated = rest.IndexOf((byte)0);
        if (translated < 0) return false;
        rest = rest[(translated + 1)..];
        if (compressed)
        {
            using var input = new MemoryStream(rest.ToArray());
            using var z = new System.IO.Compression.ZLibStream(input, System.IO.Compression.CompressionMode.Decompress);
            using var output = new MemoryStream();
            // XMP is small; cap what a hostile chunk can inflate to.
            var buffer = new byte[81920];
            int n;
            while ((n = z.Read(buffer)) > 0)
            {
                output.Write(buffer, 0, n);
                if (output.Length > 16 << 20) return false;
            }
            xmp = Encoding.UTF8.GetString(output.ToArray());
        }
        else xmp = Encoding.UTF8.GetString(rest);
        return true;
    }
}
