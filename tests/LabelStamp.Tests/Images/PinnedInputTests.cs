using System.Runtime;
using LabelStamp.Media;
using LabelStamp.Media.Images;

namespace LabelStamp.Tests.Images;

/// <summary>
/// libvips reads the encoded bytes long after an image is opened: <see cref="SequentialImage"/> opens
/// the loader (header only) and the pixels are decoded when strips are fetched. The bytes must stay
/// pinned and alive for all of that time. These tests open an image, then force compacting collections
/// (small and large object heaps) and fill the freed memory with other arrays before any pixel is
/// read: bytes that were unpinned after the header read have moved or been overwritten by then, and
/// the decode fails or returns other pixels. Images are noise from fixed seeds (3 and 4).
/// </summary>
public sealed class PinnedInputTests
{
    // With the source disposed after the header read (the pin released), the 320 × 240 PNG case fails:
    // its array moves and libvips decodes whatever lies at the old address. The small files are read
    // whole with their header, which is why those cases are not enough on their own.

    /// <summary>Compacts every generation, the large object heap included, and reallocates the space.</summary>
    private static void CompactAndReuseFreedMemory()
    {
        for (int round = 0; round < 3; round++)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            var filler = new List<byte[]>();
            for (int i = 0; i < 64; i++)
            {
                var junk = new byte[(i % 8 + 1) * 4_096 + (i % 2) * 100_000];
                junk.AsSpan().Fill(0xA5);
                filler.Add(junk);
            }
            GC.KeepAlive(filler);
        }
    }

    public static TheoryData<string, int, int, bool> Cases => new()
    {
        // format, width, height, whether the caller's bytes are a slice (then the source holds the only
        // reference to its copy, and an unpinned copy is garbage as soon as the header is read)
        { "jpeg", 160, 120, true },
        { "jpeg", 160, 120, false },
        { "jpeg", 480, 360, true },    // large object heap arrays: compacted only when asked (CompactOnce)
        { "jpeg", 480, 360, false },
        { "png", 96, 80, true },
        { "png", 320, 240, false },   // over 85,000 bytes: an array on the large object heap
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Pixels_fetched_after_compacting_collections_are_the_pixels_of_the_file(string format, int width, int height, bool slice)
    {
        byte[] file = ImageFixtures.Noise(width, height, seed: 3, format);
        var mediaFormat = format == "jpeg" ? MediaFormat.Jpeg : MediaFormat.Png;
        var header = ImageHeader.Read(file, mediaFormat, "n." + format);
        PixelBuffer expected;
        using (var decoded = ImageCodec.Decode(file, header, "n." + format)) expected = decoded.Pixels;

        ReadOnlyMemory<byte> input = file;
        if (slice)
        {
            var padded = new byte[file.Length + 7];
            file.CopyTo(padded, 3);
            input = padded.AsMemory(3, file.Length);
        }
        using var image = SequentialImage.Open(input, header, "n." + format);
        input = default;
        CompactAndReuseFreedMemory();
        var frame = Assert.Single(image.Read([new PixelRect(0, 0, width, height)]));
        Assert.Equal((expected.Width, expected.Height, expected.Bands), (frame.Width, frame.Height, frame.Bands));
        Assert.True(expected.Data.AsSpan().SequenceEqual(frame.Data), "pixels read after the collections differ from the file's");
    }
}
