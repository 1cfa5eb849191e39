using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using LabelStamp.Formats.Png;
using LabelStamp.Media.Images;
using LabelStamp.Metadata.Xmp;
using LabelStamp.TestSupport;
using NetVips;

namespace LabelStamp.Tests.Formats;

/// <summary>
/// PNG's XMP chunk put in while the encoder's pieces are joined (<see cref="PngModule.JoinWithXmp"/>) must give the
/// bytes the join-then-edit way gives (<see cref="PngModule.WriteXmp"/> of the joined file), wherever the encoder's
/// pieces happen to split the chunk headers, and must fall back to that way for the files it would edit otherwise.
/// </summary>
public sealed class PngXmpAtJoinTests
{
    private static readonly PngModule Png = new();

    private const string Xmp = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/></x:xmpmeta> 生成";

    private static byte[] Encoded(int bands, bool interlace, bool comment, int width = 37, int height = 23)
    {
        VipsRuntime.EnsureInitialised();
        var samples = new byte[width * height * bands];
        new Random(23 + bands).NextBytes(samples);
        using var raw = Image.NewFromMemory(samples, width, height, bands, Enums.BandFormat.Uchar);
        using var tagged = raw.Copy(interpretation: bands >= 3 ? Enums.Interpretation.Srgb : Enums.Interpretation.Bw);
        using var image = comment ? tagged.Mutate(m => m.Set(GValue.GStrType, "png-comment-0-Software", "test")) : tagged.Copy();
        return image.PngsaveBuffer(compression: 6, interlace: interlace, keep: Enums.ForeignKeep.All);
    }

    /// <summary>The file cut into pieces of <paramref name="size"/> bytes (the last one shorter).</summary>
    private static List<byte[]> Pieces(byte[] file, int size)
    {
        var pieces = new List<byte[]>();
        for (int p = 0; p < file.Length; p += size) pieces.Add(file.AsSpan(p, Math.Min(size, file.Length - p)).ToArray());
        return pieces;
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.HashToUInt32(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    /// <summary><paramref name="extra"/> inserted just after IHDR (8 + 25 bytes in).</summary>
    private static byte[] WithAfterHeader(byte[] file, byte[] extra) => [.. file.AsSpan(0, 33), .. extra, .. file.AsSpan(33)];

    [Theory]
    [InlineData(1, false, false)] [InlineData(2, false, true)] [InlineData(3, false, false)] [InlineData(3, true, true)] [InlineData(4, true, false)]
    public void The_file_is_the_joined_file_with_the_chunk_written_in(int bands, bool interlace, bool comment)
    {
        byte[] file = Encoded(bands, interlace, comment);
        byte[] expected = Png.WriteXmp(file, Xmp, "t.png");
        Assert.NotEqual(file.Length, expected.Length);
        foreach (int size in new[] { 1, 3, 7, 8, 12, 33, 37, 41, 64, file.Length - 1, file.Length })
            Assert.Equal(expected, Png.JoinWithXmp(Pieces(file, size), Xmp, "t.png"));
    }

    [Fact]
    public void Files_the_edit_would_treat_otherwise_come_out_as_the_edit_makes_them()
    {
        byte[] file = Encoded(3, false, false);
        byte[] withXmp = WithAfterHeader(file, Chunk("iTXt", [.. XmpNames.PngKeywordField, 0, 0, 0, 0, .. "<old/>"u8]));
        byte[] trailing = [.. file, 1, 2, 3];
        byte[] noData = WithAfterHeader(file[..33], Chunk("IEND", []));
        foreach (byte[] odd in new[] { withXmp, trailing, noData })
        {
            byte[] expected = Png.WriteXmp(odd, Xmp, "t.png");
            Assert.Equal(expected, Png.JoinWithXmp(Pieces(odd, 5), Xmp, "t.png"));
        }
        // The old packet replaced in its place, the trailing bytes dropped, the chunk before IEND with no image data.
        Assert.Equal(1, Count(Png.JoinWithXmp([withXmp], Xmp, "t.png"), XmpNames.PngKeywordField));
        Assert.Equal(file.Length + 12 + XmpNames.PngKeywordField.Length + 4 + Encoding.UTF8.GetByteCount(Xmp), Png.JoinWithXmp([trailing], Xmp, "t.png").Length);
    }

    [Fact]
    public void A_stamped_png_reads_back_its_xmp()
    {
        byte[] input = Encoded(4, false, true, 320, 240);
        var result = LabelStamp.Tests.Images.ImageFixtures.Stamp(input, "x.png");
        string? xmp = Png.ReadXmp(result.Output, "x.png", new LabelStamp.Pipeline.MetadataLimits());
        Assert.NotNull(xmp);
        Assert.Contains("AIGC", xmp, StringComparison.Ordinal);
        Assert.Equal(1, Count(result.Output, XmpNames.PngKeywordField));
    }

    private static int Count(byte[] file, ReadOnlySpan<byte> what)
    {
        int n = 0;
        for (int i = file.AsSpan().IndexOf(what); i >= 0; n++)
        {
            int next = file.AsSpan(i + 1).IndexOf(what);
            i = next < 0 ? -1 : i + 1 + next;
        }
        return n;
    }
}
