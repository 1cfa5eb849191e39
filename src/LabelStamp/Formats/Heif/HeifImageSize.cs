using System.Buffers.Binary;
using LabelStamp.Errors;
using LabelStamp.Metadata.Containers;

namespace LabelStamp.Formats.Heif;

/// <summary>
/// A HEIF image's size without decoding: the image spatial extents ('ispe', ISO/IEC 23008-12 §6.5.3) in
/// meta/iprp/ipco. The largest one is the primary image (thumbnails and grid tiles are smaller), which is what the
/// pixel-bomb check must bound.
/// </summary>
public static class HeifImageSize
{
    public static (int Width, int Height) Read(ReadOnlySpan<byte> file, string name)
    {
        var meta = BmffReader.Read(file, name).Find(b => b.Type == "meta");
        if (meta.Type is null) throw Corrupt(name, "no 'meta' box");
        var iprp = BmffReader.WalkChildren(file, meta, 1).First("iprp") ?? throw Corrupt(name, "no 'iprp' box");
        var ipco = BmffReader.WalkChildren(file, iprp, 2).First("ipco") ?? throw Corrupt(name, "no 'ipco' box");
        long best = -1;
        (int, int) size = default;
        foreach (var box in BmffReader.WalkChildren(file, ipco, 3).Boxes)
        {
            if (box.Type != "ispe" || box.Size < box.HeaderSize + 12) continue;
            var p = file[(int)(box.PayloadStart + 4)..]; // version and flags first
            uint w = BinaryPrimitives.ReadUInt32BigEndian(p), h = BinaryPrimitives.ReadUInt32BigEndian(p[4..]);
            if (w > int.MaxValue || h > int.MaxValue) throw new LabelStampException(ErrorCode.TooManyPixels, $"{name}: HEIF image of {w}×{h} pixels");
            if ((long)w * h > best) { best = (long)w * h; size = ((int)w, (int)h); }
        }
        return best < 0 ? throw Corrupt(name, "no image size ('ispe')") : size;
    }

    private static LabelStampException Corrupt(string name, string what) => new(ErrorCode.CorruptInput, $"{name}: HEIF image has {what}");
}
