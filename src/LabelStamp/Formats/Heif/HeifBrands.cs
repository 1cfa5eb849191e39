using System.Buffers.Binary;

namespace LabelStamp.Formats.Heif;

/// <summary>
/// The brands of a file's leading 'ftyp' box (ISO/IEC 14496-12 §4.3): major brand, then compatible brands. HEIF
/// images (ISO/IEC 23008-12) announce themselves there: "avif" for AV1 images, "heic"/"heix"/"mif1"… for HEVC and
/// generic HEIF, which an MP4 movie never lists.
/// </summary>
public static class HeifBrands
{
    /// <summary>True when the ftyp at the start of <paramref name="head"/> lists any of <paramref name="brands"/>.</summary>
    public static bool Lists(ReadOnlySpan<byte> head, ReadOnlySpan<string> brands)
    {
        if (head.Length < 16 || !head.Slice(4, 4).SequenceEqual("ftyp"u8)) return false;
        long size = BinaryPrimitives.ReadUInt32BigEndian(head);
        int end = (int)Math.Min(size, head.Length);
        for (int p = 8; p + 4 <= end; p += p == 8 ? 8 : 4) // major brand, minor version (skipped), compatible brands
        {
            var brand = head.Slice(p, 4);
            foreach (string b in brands)
                if (brand.SequenceEqual(System.Text.Encoding.ASCII.GetBytes(b))) return true;
        }
        return false;
    }
}
