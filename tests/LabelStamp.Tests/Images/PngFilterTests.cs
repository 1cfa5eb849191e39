using LabelStamp.Media;
using LabelStamp.Media.Images;
using NetVips;

namespace LabelStamp.Tests.Images;

/// <summary>
/// The PNG row filter is an encoder setting (<see cref="ImageEncodeOptions.PngFilter"/>): whichever is chosen the file
/// holds the frame's samples exactly (PNG is lossless; only the bytes and the encoder's CPU change, bench/WATERMARK.md,
/// sixteenth step), and the setting reaches libvips (two filters give two different files).
/// </summary>
public sealed class PngFilterTests
{
    /// <summary>A gradient with keyed ±2 noise (fixed seed): rows that the filters predict differently.</summary>
    private static byte[] Frame(int width, int height, int bands, int seed)
    {
        var samples = new byte[width * height * bands];
        var random = new Random(seed);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int b = 0; b < bands; b++)
                    samples[(y * width + x) * bands + b] = (byte)Math.Clamp((x * 3 + y * 2 + b * 40) % 250 + random.Next(-2, 3), 0, 255);
        return samples;
    }

    public static TheoryData<int, int, int> Shapes() => new() { { 97, 61, 3 }, { 64, 33, 4 }, { 51, 40, 1 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryFilterKeepsTheSamples(int width, int height, int bands)
    {
        VipsRuntime.EnsureInitialised();
        byte[] frame = Frame(width, height, bands, seed: 23);
        using var raw = Image.NewFromMemory(frame, width, height, bands, Enums.BandFormat.Uchar);
        using var tagged = raw.Copy(interpretation: bands >= 3 ? Enums.Interpretation.Srgb : Enums.Interpretation.Bw);
        byte[] input = tagged.PngsaveBuffer();
        var header = ImageHeader.Read(input, MediaFormat.Png, "filters.png");
        var files = new Dictionary<Enums.ForeignPngFilter, byte[]>();
        foreach (var filter in new[] { Enums.ForeignPngFilter.None, Enums.ForeignPngFilter.Up, Enums.ForeignPngFilter.Paeth, Enums.ForeignPngFilter.All })
        {
            using var decoded = ImageCodec.Decode(input, header, "filters.png");
            Assert.Equal(frame, decoded.Pixels.Data);
            byte[] file = ImageCodec.Encode(decoded, header, new ImageEncodeOptions { PngFilter = filter }, "filters.png");
            using var again = ImageCodec.Decode(file, ImageHeader.Read(file, MediaFormat.Png, "filters.png"), "filters.png");
            Assert.Equal(frame, again.Pixels.Data);
            files[filter] = file;
        }
        Assert.NotEqual(files[Enums.ForeignPngFilter.None], files[Enums.ForeignPngFilter.Up]);
    }

    [Fact]
    public void TheDefaultIsNone() => Assert.Equal(Enums.ForeignPngFilter.None, new ImageEncodeOptions().PngFilter);
}
