using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using LabelStamp.Worker.Contract;

namespace LabelStamp.Cli.Demo;

/// <summary>The demo's inputs: every file under samples-media, repeated, plus a fixed set of hostile items.</summary>
public static class SampleSet
{
    public static IReadOnlyList<SampleInput> FromDirectory(string directory, int repeat)
    {
        if (!Directory.Exists(directory))
            throw new Errors.LabelStampException(Errors.ErrorCode.FileNotFound,
                $"{directory}: no samples directory; run the demo from the repository root or pass --samples DIR");
        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && !f.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).ToList();
        var inputs = new List<SampleInput>();
        for (int r = 0; r < repeat; r++)
            foreach (string file in files)
                inputs.Add(new SampleInput($"gen-{r:D3}-{Path.GetFileNameWithoutExtension(file)}", Path.GetFileName(file), File.ReadAllBytes(file)));
        return inputs;
    }

    /// <summary>Inputs that must each land in the dead-letter topic without stopping a worker.</summary>
    public static IReadOnlyList<SampleInput> Hostile(byte[] someJpeg)
    {
        var random = new byte[4096];
        new Random(45438).NextBytes(random);
        return
        [
            new("bad-empty", "empty.jpg", [], "empty"),
            new("bad-truncated", "truncated.jpg", someJpeg[..Math.Min(2000, someJpeg.Length / 3)], "truncated JPEG"),
            new("bad-random", "random.bin", random, "random bytes"),
            new("bad-pixel-bomb", "bomb.png", PngClaiming(40000, 40000), "PNG header claiming 40000×40000"),
            new("bad-hls", "playlist.mp4", Encoding.ASCII.GetBytes("#EXTM3U\n#EXT-X-VERSION:3\n#EXTINF:10,\nfile:///etc/passwd\n"), "HLS playlist named .mp4"),
            new("bad-mismatch", "claims-png.jpg", someJpeg, "JPEG declared as image/png") { Headers = new Dictionary<string, string> { [KafkaHeaders.ContentType] = "image/png" } },
            new("bad-ref-escape", "ref.jpg", [], "ls-ref outside the store") { Headers = new Dictionary<string, string> { [KafkaHeaders.Reference] = "file:///etc/passwd" } },
            new("bad-ref-ssrf", "ref.jpg", [], "ls-ref to a host not allowed") { Headers = new Dictionary<string, string> { [KafkaHeaders.Reference] = "http://169.254.169.254/latest/meta-data/" } },
            new("bad-no-id", "noid.jpg", someJpeg[..100], "no key and no ce_id") { OmitContentId = true },
        ];
    }

    /// <summary>A valid PNG signature and IHDR (with CRC) that claims huge dimensions and has no image data.</summary>
    private static byte[] PngClaiming(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
        using var png = new MemoryStream();
        png.Write(LabelStamp.Metadata.Containers.PngFile.Signature);
        WriteChunk(png, "IHDR", ihdr);
        WriteChunk(png, "IDAT", new byte[] { 0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 });
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream s, string type, byte[] data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        byte[] typeBytes = Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        var crc = new Crc32();
        crc.Append(typeBytes);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(len, crc.GetCurrentHashAsUInt32());
        s.Write(len);
    }
}
