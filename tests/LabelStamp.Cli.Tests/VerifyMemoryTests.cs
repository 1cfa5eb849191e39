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
        string png = PeakMemoryRun.FlatPng(dir, "flat-100mp.png", 120, 140, 160, 255);

        var (code, output, errors, peakKiB) = await PeakMemoryRun.RunAsync(TimeSpan.FromMinutes(3), "verify", png);
        Directory.Delete(dir, recursive: true);

        // A finished verify (exit 1: the flat image carries no label) with its report, so the peak is that of the work asked.
        Assert.True(code == 1, $"exit {code}: {errors}");
        Assert.Contains("no visible AI label at the corners", output);
        Assert.Contains("no watermark under this key", output);
        Assert.True(peakKiB > 100 * 1024, $"only {peakKiB} KiB seen: the process was not sampled while it worked");
        Assert.True(peakKiB <= BoundKiB, $"verify peaked at {peakKiB / 1024} MiB resident, over the 512 MiB bound");
    }
}
