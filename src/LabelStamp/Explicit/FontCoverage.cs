using System.Buffers.Binary;
using System.Text;
using LabelStamp.Errors;

namespace LabelStamp.Explicit;

/// <summary>
/// Which characters a font file really has glyphs for, read from its OpenType 'cmap' table (formats
/// 4 and 12, in plain fonts and .ttc collections). Pango would otherwise fall back to another font or
/// draw "tofu" boxes; checking the cmap first means a label is either rendered in the chosen font or
/// refused with the list of missing characters.
/// </summary>
public static class FontCoverage
{
    /// <remarks>Reads the table directory and the cmap table only, not the file: a CJK collection is
    /// 20 MB, and verify renders up to six sizes of each wording for a large image.</remarks>
    public static IReadOnlyList<string> MissingCharacters(ResolvedFont font, string text)
    {
        var missing = new List<string>();
        try
        {
            using var file = File.OpenHandle(font.File);
            byte[] cmap = CmapTable(file, font);
            foreach (Rune r in text.EnumerateRunes())
            {
                if (Rune.IsWhiteSpace(r) || Rune.IsControl(r)) continue;
                if (!HasGlyph(cmap, r.Value)) missing.Add(r.ToString());
            }
        }
        catch (IOException e)
        {
            throw new LabelStampException(ErrorCode.FontNotFound, $"cannot read font file {font.File}: {e.Message}", e);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            throw new LabelStampException(ErrorCode.FontMissingGlyphs, $"font {font.File} has a malformed cmap table", e);
        }
        return missing;
    }

    public static void EnsureCovers(ResolvedFont font, string text)
    {
        var missing = MissingCharacters(font, text);
        if (missing.Count > 0)
            throw new LabelStampException(ErrorCode.FontMissingGlyphs,
                $"font '{font.Family}' ({Path.GetFileName(font.File)}) has no glyphs for '{string.Concat(missing)}' in label '{text}'; it would render as empty boxes. Install fonts-noto-cjk or choose a font that covers the wording");
    }

    private static byte[] CmapTable(Microsoft.Win32.SafeHandles.SafeFileHandle file, ResolvedFont font)
    {
        long length = RandomAccess.GetLength(file);
        int face = 0;
        if (ReadAt(file, length, 0, 4).AsSpan().SequenceEqual("ttcf"u8))
        {
            int count = (int)BinaryPrimitives.ReadUInt32BigEndian(ReadAt(file, length, 8, 4));
            int index = font.FaceIndex < 0 || font.FaceIndex >= count ? 0 : font.FaceIndex;
            face = (int)BinaryPrimitives.ReadUInt32BigEndian(ReadAt(file, length, 12 + 4L * index, 4));
        }
        int numTables = BinaryPrimitives.ReadUInt16BigEndian(ReadAt(file, length, face + 4L, 2));
        byte[] directory = ReadAt(file, length, face + 12L, 16 * numTables);
        for (int i = 0; i < numTables; i++)
        {
            var record = directory.AsSpan(16 * i, 16);
            if (record[..4].SequenceEqual("cmap"u8))
                return ReadAt(file, length, BinaryPrimitives.ReadUInt32BigEndian(record[8..]), (int)BinaryPrimitives.ReadUInt32BigEndian(record[12..]));
        }
        throw new LabelStampException(ErrorCode.FontMissingGlyphs, $"font {font.File} has no cmap table");
    }

    /// <summary><paramref name="count"/> bytes at <paramref name="offset"/>; out of range (a malformed
    /// table) when they are not all in the file.</summary>
    private static byte[] ReadAt(Microsoft.Win32.SafeHandles.SafeFileHandle file, long length, long offset, int count)
    {
        if (offset < 0 || count < 0 || offset + count > length) throw new ArgumentOutOfRangeException(nameof(offset), "past the end of the font file");
        byte[] bytes = new byte[count];
        if (RandomAccess.Read(file, bytes, offset) != count) throw new ArgumentOutOfRangeException(nameof(offset), "past the end of the font file");
        return bytes;
    }

    private static bool HasGlyph(ReadOnlySpan<byte> cmap, int codepoint)
    {
        int count = BinaryPrimitives.ReadUInt16BigEndian(cmap[2..]);
        int best = -1, bestRank = int.MaxValue;
        for (int i = 0; i < count; i++)
        {
            var rec = cmap.Slice(4 + 8 * i, 8);
            int platform = BinaryPrimitives.ReadUInt16BigEndian(rec), encoding = BinaryPrimitives.ReadUInt16BigEndian(rec[2..]);
            int offset = (int)BinaryPrimitives.ReadUInt32BigEndian(rec[4..]);
            int format = BinaryPrimitives.ReadUInt16BigEndian(cmap[offset..]);
            // Prefer full-Unicode format 12 tables, then BMP format 4 Unicode tables.
            int rank = (format, platform, encoding) switch
            {
                (12, 3, 10) or (12, 0, _) => 0,
                (4, 3, 1) or (4, 0, _) => 1,
                _ => int.MaxValue,
            };
            if (rank < bestRank) { bestRank = rank; best = offset; }
        }
        if (best < 0) return false;
        var table = cmap[best..];
        return BinaryPrimitives.ReadUInt16BigEndian(table) == 12 ? Format12(table, codepoint) : codepoint <= 0xFFFF && Format4(table, codepoint);
    }

    private static bool Format12(ReadOnlySpan<byte> t, int cp)
    {
        int groups = (int)BinaryPrimitives.ReadUInt32BigEndian(t[12..]);
        int lo = 0, hi = groups - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            var g = t.Slice(16 + 12 * mid, 12);
            uint start = BinaryPrimitives.ReadUInt32BigEndian(g), end = BinaryPrimitives.ReadUInt32BigEndian(g[4..]);
            if ((uint)cp < start) hi = mid - 1;
            else if ((uint)cp > end) lo = mid + 1;
            else return BinaryPrimitives.ReadUInt32BigEndian(g[8..]) + ((uint)cp - start) != 0;
        }
        return false;
    }

    private static bool Format4(ReadOnlySpan<byte> t, int cp)
    {
        int segX2 = BinaryPrimitives.ReadUInt16BigEndian(t[6..]);
        int endBase = 14, startBase = 16 + segX2, deltaBase = startBase + segX2, rangeBase = deltaBase + segX2;
        for (int s = 0; s < segX2; s += 2)
        {
            int end = BinaryPrimitives.ReadUInt16BigEndian(t[(endBase + s)..]);
            if (cp > end) continue;
            int start = BinaryPrimitives.ReadUInt16BigEndian(t[(startBase + s)..]);
            if (cp < start) return false;
            int delta = BinaryPrimitives.ReadInt16BigEndian(t[(deltaBase + s)..]);
            int rangeOffset = BinaryPrimitives.ReadUInt16BigEndian(t[(rangeBase + s)..]);
            if (rangeOffset == 0) return ((cp + delta) & 0xFFFF) != 0;
            int glyphAt = rangeBase + s + rangeOffset + 2 * (cp - start);
            int glyph = BinaryPrimitives.ReadUInt16BigEndian(t[glyphAt..]);
            return glyph != 0 && ((glyph + delta) & 0xFFFF) != 0;
        }
        return false;
    }
}
