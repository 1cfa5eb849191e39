using System.Buffers.Binary;
using System.IO.Hashing;
using LabelStamp.Errors;
using LabelStamp.Metadata.Containers;

namespace LabelStamp.Tests.Metadata;

/// <summary>
/// <see cref="PngFile.ToArray"/> writes back the CRC a checked chunk carried instead of computing it again. The
/// file must come out as it went in, a chunk that is new or replaced (also through <c>with</c>) must get its own
/// CRC, and a chunk parsed without the check must get a computed one (never a wrong CRC copied from the input).
/// </summary>
public sealed class PngCrcCarryTests
{
    private static byte[] Png(params (string Type, byte[] Data)[] chunks)
    {
        var list = new List<byte>(PngFile.Signature.ToArray());
        foreach (var (type, data) in chunks)
        {
            var c = new byte[12 + data.Length];
            BinaryPrimitives.WriteUInt32BigEndian(c, (uint)data.Length);
            System.Text.Encoding.ASCII.GetBytes(type, c.AsSpan(4));
            data.CopyTo(c, 8);
            BinaryPrimitives.WriteUInt32BigEndian(c.AsSpan(8 + data.Length), Crc32.HashToUInt32(c.AsSpan(4, 4 + data.Length)));
            list.AddRange(c);
        }
        return [.. list];
    }

    private static byte[] Ihdr => [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0];

    private static void AssertCrcsValid(byte[] file) => PngFile.Parse(file, "check");   // throws on any bad CRC

    [Fact]
    public void AParsedFileIsWrittenBackUnchanged()
    {
        byte[] idat = new byte[5_001];
        new Random(2026).NextBytes(idat);
        byte[] file = Png(("IHDR", Ihdr), ("tEXt", "a\0b"u8.ToArray()), ("IDAT", idat), ("IEND", []));
        Assert.Equal(file, PngFile.Parse(file, "x").ToArray());
        Assert.Equal(file, PngFile.Parse(file, "x", verifyCrc: false).ToArray());
    }

    [Fact]
    public void NewAndReplacedChunksGetTheirOwnCrc()
    {
        byte[] file = Png(("IHDR", Ihdr), ("tEXt", "a\0b"u8.ToArray()), ("IDAT", [1, 2, 3]), ("IEND", []));
        var png = PngFile.Parse(file, "x");
        png.Chunks[1] = png.Chunks[1] with { Data = "a\0changed"u8.ToArray() };
        png.Chunks.Insert(2, new PngChunk("iTXt", "k\0\0\0\0\0v"u8.ToArray()));
        byte[] written = png.ToArray();
        AssertCrcsValid(written);
        Assert.Equal(Png(("IHDR", Ihdr), ("tEXt", "a\0changed"u8.ToArray()), ("iTXt", "k\0\0\0\0\0v"u8.ToArray()), ("IDAT", [1, 2, 3]), ("IEND", [])), written);
    }

    [Fact]
    public void AnUncheckedChunksWrongCrcIsNotCarriedOver()
    {
        byte[] file = Png(("IHDR", Ihdr), ("IDAT", [1, 2, 3]), ("IEND", []));
        byte[] broken = (byte[])file.Clone();
        broken[8 + 25 + 8 + 3] ^= 0xFF;   // IDAT's CRC
        Assert.Equal(ErrorCode.CorruptInput, Assert.Throws<LabelStampException>(() => PngFile.Parse(broken, "x")).Code);
        Assert.Equal(file, PngFile.Parse(broken, "x", verifyCrc: false).ToArray());
    }
}
