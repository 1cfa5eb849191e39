namespace LabelStamp.Metadata.Containers;

/// <summary>
/// A box of an ISO BMFF file (MP4, MOV, M4A, AVIF, HEIC): its offset in the file, its whole size (header
/// included), the header's length (8, or 16 with a 64-bit <c>largesize</c>) and its four-character type.
/// <see cref="ToEnd"/> marks a box whose size field was 0 ("extends to the end of its parent",
/// ISO/IEC 14496-12 §4.2); its <see cref="Size"/> is then that distance.
/// </summary>
public readonly record struct BmffBox(long Offset, long Size, int HeaderSize, string Type, bool ToEnd = false)
{
    public long PayloadStart => Offset + HeaderSize;
    public long End => Offset + Size;

    /// <summary>True when the 32-bit size field holds the box's real size, so an editor can rewrite it in place.</summary>
    public bool HasPlainSize => HeaderSize == 8 && !ToEnd;
}
