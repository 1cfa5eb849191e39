using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Hashing;
using LabelStamp.Errors;
using LabelStamp.TestSupport;

namespace LabelStamp.Tests.Images;

/// <summary>Hostile and broken inputs give typed errors quickly and never decode a bomb. Seed 7 for random bytes.</summary>
public class BadInputTests
{
    public static byte[] PngClaiming(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = 8; ihdr[9] = 2;
        var file = new List<byte>([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        void Chunk(string type, byte[] data)
        {
            var buf = new byte[12 + data.Length];
            BinaryPrimitives.WriteUInt32BigEndian(buf, (uint)data.Length);
            System.Text.Encoding.ASCII.GetBytes(type, buf.AsSpan(4));
            data.CopyTo(buf, 8);
            BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(8 + data.Length), Crc32.HashToUInt32(buf.AsSpan(4, 4 + data.Length)));
            file.AddRange(buf);
        }
        Chunk("IHDR", ihdr);
        Chunk("IDAT", new byte[64]); // a real bomb would inflate to 4.8 GB; we must refuse before reading it
        Chunk("IEND", []);
        return [.. file];
    }

    public static TheoryData<string, ErrorCode> Cases => new()
    {
        { "empty", ErrorCode.EmptyInput },
        { "random", ErrorCode.UnsupportedFormat },
        { "bomb", ErrorCode.TooManyPixels },
        { "truncated-jpeg", ErrorCode.TruncatedInput },
        { "truncated-png", ErrorCode.TruncatedInput },
        { "playlist", ErrorCode.HostileInput },
    };

    public static byte[] Make(string kind)
    {
        byte[] jpeg = File.ReadAllBytes(RepoPaths.Samples("images", "storm.jpg"));
        byte[] png = File.ReadAllBytes(RepoPaths.Samples("images", "arc-transparent.png"));
        var random = new byte[4096];
        new Random(7).NextBytes(random);
        random[0] = 0x42;
        return kind switch
        {
            "empty" => [],
            "random" => random,
            "bomb" => PngClaiming(40000, 40000),
            "truncated-jpeg" => jpeg[..(jpeg.Length / 2)],
            "truncated-png" => png[..(png.Length / 2)],
            "playlist" => "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:///etc/passwd\n"u8.ToArray(),
            _ => throw new ArgumentException(kind),
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_bad_input_gives_its_typed_error_within_seconds(string kind, ErrorCode expected)
    {
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<LabelStampException>(() => ImageFixtures.Stamp(Make(kind), kind + ".bin"));
        Assert.Equal(expected, e.Code);
        Assert.Contains(kind + ".bin", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{kind} took {clock.Elapsed}");
    }

    [Fact]
    public void A_declared_content_type_that_disagrees_with_the_bytes_is_refused()
    {
        byte[] jpeg = File.ReadAllBytes(RepoPaths.Samples("images", "storm.jpg"));
        var request = new Pipeline.StampRequest("x", ImageFixtures.Producer, new LabelStamp.Labels.LabelPolicy()) { DeclaredContentType = "image/png" };
        var e = Assert.Throws<LabelStampException>(() => ImageFixtures.Stamper.StampAsync(jpeg, "x", request).GetAwaiter().GetResult());
        Assert.Equal(ErrorCode.FormatMismatch, e.Code);
        Assert.Throws<LabelStampException>(() => Media.MediaSniffer.CheckExtension(Media.MediaFormat.Jpeg, "photo.png"));
        Media.MediaSniffer.CheckExtension(Media.MediaFormat.Jpeg, "photo.JPEG");
    }
}
