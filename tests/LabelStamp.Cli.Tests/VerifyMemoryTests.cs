using NetVips;
using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests;

/// <summary>
/// Verify's peak memory is bounded (docs/security.md): `labelstamp verify` of a 100-megapixel RGBA PNG,
/// the case that reached 1.36 GB when verify decoded the whole frame, stays within 512 MiB resident.
/// The CLI runs as its own process, as a user runs it; its peak is the kernel's high-water mark
/// (<see cref="PeakMemoryRun"/>).
/// </summary>
public sealed class VerifyMemoryTests
{
    private const long BoundKiB = 512 * 1024;

    [Fact]
    public async Task Verify_of_a_100_megapixel_RGBA_PNG_peaks_within_512_MiB()
    {
        string dir = RepoPaths.NewTempDir();
        string png = PeakMemoryRun.FlatImage(dir, "flat-100mp.png", 120, 140, 160, 255);

        var (code, output, errors, peakKiB) = await PeakMemoryRun.RunAsync(TimeSpan.FromMinutes(3), "verify", png);
        Directory.Delete(dir, recursive: true);

        // A finished verify (exit 1: the flat image carries no label) with its report, so the peak is that of the work asked.
        Assert.True(code == 1, $"exit {code}: {errors}");
        Assert.Contains("no visible AI label at the corners", output);
        Assert.Contains("no watermark under this key", output);
        Assert.True(peakKiB > 100 * 1024, $"only {peakKiB} KiB seen: the process was not sampled while it worked");
        Assert.True(peakKiB <= BoundKiB, $"verify peaked at {peakKiB / 1024} MiB resident, over the 512 MiB bound");
    }

    /// <summary>libvips decodes a WebP whole whatever the access mode (863 MB at 100 MP); a lossy one is
    /// read area by area through libwebp's cropping decoder (400 MB).</summary>
    [Fact]
    public async Task Verify_of_a_100_megapixel_lossy_WebP_peaks_within_512_MiB()
    {
        string work = RepoPaths.NewTempDir();
        var (code, report, errors, peakKiB) = await PeakMemoryRun.RunAsync(TimeSpan.FromMinutes(3),
            "verify", PeakMemoryRun.FlatImage(work, "flat-100mp.webp", 120, 140, 160));
        Directory.Delete(work, recursive: true);

        Assert.True(code == 1, $"exit {code}: {errors}");
        Assert.Contains("no watermark under this key", report);
        Assert.True(peakKiB > 100 * 1024, $"only {peakKiB} KiB seen: the process was not sampled while it worked");
        Assert.True(peakKiB <= BoundKiB, $"verify of the WebP peaked at {peakKiB / 1024} MiB resident, over the 512 MiB bound");
    }

    /// <summary>A lossy WebP with alpha (VP8X + ALPH + VP8): libwebp keeps a whole-frame alpha plane while
    /// it decodes such a frame, whatever the crop, and verify peaked at 625 MiB until colour was read from
    /// the "VP8 " chunk alone (393 MiB). The alpha is a ramp across the frame (0 over the left 1,333
    /// columns, 255 from column 9,834): a uniform alpha of 128 peaked at 396 MiB either way.</summary>
    [Fact]
    public async Task Verify_of_a_100_megapixel_lossy_WebP_with_alpha_peaks_within_512_MiB()
    {
        string work = RepoPaths.NewTempDir();
        string webp = RampAlphaWebp(work);
        bool hasAlpha = File.ReadAllBytes(webp).AsSpan().IndexOf("ALPH"u8) > 0;
        var (code, report, errors, peakKiB) = await PeakMemoryRun.RunAsync(TimeSpan.FromMinutes(3), "verify", webp);
        Directory.Delete(work, recursive: true);

        Assert.True(hasAlpha, "the encoder dropped the alpha channel: not the case under test");
        Assert.True(code == 1, $"exit {code}: {errors}");
        Assert.Contains("no watermark under this key", report);
        Assert.True(peakKiB > 100 * 1024, $"only {peakKiB} KiB seen: the process was not sampled while it worked");
        Assert.True(peakKiB <= BoundKiB, $"verify of the WebP with alpha peaked at {peakKiB / 1024} MiB resident, over the 512 MiB bound");
    }

    private static string RampAlphaWebp(string dir)
    {
        string path = Path.Combine(dir, "ramp-alpha-100mp.webp");
        using var black = Image.Black(10_000, 10_000, bands: 3);
        using var flat = black.Linear([1.0, 1.0, 1.0], [120.0, 140.0, 160.0], uchar: true);
        using var xy = Image.Xyz(10_000, 10_000);
        using var x = xy[0];
        using var alpha = x.Linear([0.03], [-40.0], uchar: true); // clipped to 0..255
        using var rgba = flat.Bandjoin(alpha);
        using var tagged = rgba.Copy(interpretation: Enums.Interpretation.Srgb);
        tagged.Webpsave(path, q: 80);
        return path;
    }
}
