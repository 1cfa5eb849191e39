using System.Buffers.Binary;
using LabelStamp.Errors;

namespace LabelStamp.Metadata.Containers;

/// <summary>
/// WebP specifics on top of <see cref="RiffFile"/>: canvas size from VP8X, VP8 or VP8L headers, and the
/// conversion of a simple file into the extended (VP8X) layout that metadata chunks require.
/// </summary>
public static class WebpCanvas
{
    public const int FlagAnimation = 0x02, FlagXmp = 0x04, FlagExif = 0x08, FlagAlpha = 0x10, FlagIcc = 0x20;

    public static (int Width, int Height) Size(RiffFile riff, string name)
    {
        if (riff.Form != "WEBP") throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: RIFF form is not WEBP");
        var first = riff.Chunks[0];
        var d = first.Data.Span;
        switch (first.FourCC)
        {
            case "VP8X" when d.Length >= 10:
                return (1 + Read24(d[4..]), 1 + Read24(d[7..]));
            case "VP8 " when d.Length >= 10 && d[3] == 0x9D && d[4] == 0x01 && d[5] == 0x2A:
                return (BinaryPrimitives.ReadUInt16LittleEndian(d[6..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(d[8..]) & 0x3FFF);
            case "VP8L" when d.Length >= 5 && d[0] == 0x2F:
                uint bits = BinaryPrimitives.ReadUInt32LittleEndian(d[1..]);
                return (1 + (int)(bits & 0x3FFF), 1 + (int)((bits >> 14) & 0x3FFF));
            default:
                throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: WebP starts with an unknown or short '{first.FourCC}' chunk");
        }
    }

    /// <summary>Makes sure the file starts with a VP8X chunk and sets the given flags in it.</summary>
    public static void EnsureExtended(RiffFile riff, int setFlags, string name)
    {
        if (riff.Chunks[0].FourCC != "VP8X")
        {
            var (w, h) = Size(riff, name);
            int flags = 0;
            var first = riff.Chunks[0];
            // VP8L carries an "alpha is used" hint in bit 28 of its header; lossy VP8 has alpha only via ALPH.
            if (first.FourCC == "VP8L" && (BinaryPrimitives.ReadUInt32LittleEndian(first.Data.Span[1..]) & (1u << 28)) != 0) flags |= FlagAlpha;
            if (riff.IndexOf("ALPH") >= 0) flags |= FlagAlpha;
            riff.Chunks.Insert(0, new RiffChunk("VP8X", Vp8x(flags, w, h)));
        }
        var data = riff.Chunks[0].Data.ToArray();
        data[0] |= (byte)setFlags;
        riff.Chunks[0] = new RiffChunk("VP8X", data);
    }

    private static byte[] Vp8x(int flags, int width, int height)
    {
        var d = new byte[10];
        d[0] = (byte)flags;
        Write24(d.AsSpan(4), width - 1);
        Write24(d.AsSpan(7), height - 1);
        return d;
    }

    private static int Read24(ReadOnlySpan<byte> s) => s[0] | (s[1] << 8) | (s[2] << 16);

    private static void Write24(Span<byte> s, int v)
    {
        s[0] = (byte)v; s[1] = (byte)(v >> 8); s[2] = (byte)(v >> 16);
    }
}
