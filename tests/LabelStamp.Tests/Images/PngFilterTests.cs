using LabelStamp.Formats.Png;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using NetVips;

namespace LabelStamp.Tests.Images;

/// <summary>
/// The PNG row filter is an encoder setting (<see cref="ImageEncodeOptions.PngFilter"/>): whichever is chosen the file
/// holds the frame's samples exactly (PNG is lossless; only the bytes and the encoder's CPU change, bench/WATERMARK.md,
/// sixteenth step), and the setting reaches libvips (two filters give two different files). Left open (the default), the
/// encoder uses none and the stamp chooses a marked frame's (<see cref="PngFilterChoice"/>).
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
    public void TheDefaultLeavesTheFilterOpen() => Assert.Null(new ImageEncodeOptions().PngFilter);

    /// <summary>A flat page (white, a few dark bars), RGB and RGBA: it repeats nearly all its rows; marked, three of four rows
    /// still repeat the row above (the chips are four rows tall), so the mark took a good share and left most: Up. The same
    /// page under ±2 noise of a fixed seed (29) repeats nothing before or after the mark: none; and an unmarked page (nothing
    /// taken): none.</summary>
    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void AMarkedFlatPageTakesUpAndANoisyOrUnmarkedOneNone(int bands)
    {
        const int w = 300, h = 260;
        PixelBuffer Page()
        {
            var page = new PixelBuffer(new byte[w * h * bands], w, h, bands);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int b = 0; b < bands; b++)
                        page.Data[(y * w + x) * bands + b] = (byte)(b == 3 ? 255 : y % 40 < 6 && x % 90 < 70 ? 20 : 250);
            return page;
        }
        var key = LabelStamp.Tests.Marks.Image.MarkedSamples.TestKey(31);
        var id = LabelStamp.Labels.MarkId.Compute(key, "png", "page");
        var flat = Page();
        double before = PngFilterChoice.RepeatedShare(flat);
        Assert.True(before > 0.95, $"{before}");
        Assert.Equal(Enums.ForeignPngFilter.None, PngFilterChoice.ForMarked(before, before));
        Assert.True(new LabelStamp.Marks.Image.ImageWatermark().Embed(flat, key, id).Readable);
        double after = PngFilterChoice.RepeatedShare(flat);
        Assert.InRange(after, PngFilterChoice.UpFromMarkedShare, before - PngFilterChoice.UpFromShareTaken);
        Assert.Equal(Enums.ForeignPngFilter.Up, PngFilterChoice.ForMarked(before, after));

        var noisy = Page();
        var random = new Random(29);
        for (int i = 0; i < noisy.Data.Length; i++)
            if (bands < 4 || i % 4 != 3) noisy.Data[i] = (byte)Math.Clamp(noisy.Data[i] + random.Next(-2, 3), 0, 255);
        double noisyBefore = PngFilterChoice.RepeatedShare(noisy);
        new LabelStamp.Marks.Image.ImageWatermark().Embed(noisy, key, id);
        double noisyAfter = PngFilterChoice.RepeatedShare(noisy);
        Assert.True(noisyBefore < 0.05 && noisyAfter < 0.05, $"{noisyBefore} {noisyAfter}");
        Assert.Equal(Enums.ForeignPngFilter.None, PngFilterChoice.ForMarked(noisyBefore, noisyAfter));
    }

    /// <summary>The share counts 8-byte words and a row's last part-word: a frame of one row has none; rows that repeat
    /// exactly give 1; a change in a row's last byte (its part-word) is seen.</summary>
    [Fact]
    public void TheRepeatedShareCountsWholeRowsAndTheirTails()
    {
        Assert.Equal(0, PngFilterChoice.RepeatedShare(new PixelBuffer(new byte[30], 10, 1, 3)));
        var same = new PixelBuffer(Enumerable.Repeat((byte)7, 11 * 7 * 3).ToArray(), 11, 7, 3);
        Assert.Equal(1.0, PngFilterChoice.RepeatedShare(same));
        // 33-byte rows: four words and a one-byte tail, rows 1 and 4 compared (every third row from the second).
        for (int y = 0; y < same.Height; y++) same.Data[y * same.Stride + same.Stride - 1] = (byte)y;
        Assert.Equal(8.0 / 10, PngFilterChoice.RepeatedShare(same));
    }
}
