using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests;

/// <summary>
/// Stamp's peak memory on a 100-megapixel input (docs/security.md "Stamp's memory"): stamping writes
/// every pixel back, so the frame is held once (3 bytes a pixel, 300 MB here), and the rest stays
/// small: the rows are copied out of a sequential decode (no second frame in libvips) and the encoder
/// streams them. `labelstamp stamp` of a flat 10,000 × 10,000 RGB PNG peaked at 639 MiB when the frame
/// was decoded with random access (libvips' frame, then ours) and at 475 MiB since; the bound is 560 MiB
/// (<see cref="PeakMemoryRun"/>), so the second frame coming back fails it.
/// </summary>
public sealed class StampMemoryTests
{
    [Fact]
    public Task Stamp_of_a_100_megapixel_PNG_peaks_within_560_MiB() => StampPeaksWithin("flat-100mp.png", 560);

    /// <summary>
    /// A 100 MP lossy WebP is decoded by libwebp straight into our frame and encoded by libwebp from
    /// that frame converted to YUV in place (docs/security.md "Stamp's memory"), so the frame is the
    /// only frame-sized allocation: a 100 MP photo measured 939 MB with libvips on both ends and 462 MB
    /// since, this flat file 461 MB. libvips' decoder holds a second 300 MB frame (the photo: 850 MB at
    /// the end of the decode), and its encoder a 300 MB copy and a 150 MB YUV picture, so either coming
    /// back puts the peak over the 512 MiB bound.
    /// </summary>
    [Fact]
    public Task Stamp_of_a_100_megapixel_lossy_WebP_peaks_within_512_MiB() => StampPeaksWithin("flat-100mp.webp", 512);

    /// <summary>Stamps a flat 10,000 × 10,000 RGB image of that name (its extension picks the format) in a
    /// child process sampled for its resident set, and asserts the file was written within the bound.</summary>
    private static async Task StampPeaksWithin(string name, long boundMiB)
    {
        string work = RepoPaths.NewTempDir(), output = Path.Combine(work, "out");
        var (code, _, errors, peakKiB) = await PeakMemoryRun.RunAsync(TimeSpan.FromMinutes(5),
            "stamp", "-q", "-o", output, PeakMemoryRun.FlatImage(work, name, 120, 140, 160));
        bool written = File.Exists(Path.Combine(output, name));
        Directory.Delete(work, recursive: true);

        Assert.True(code == 0, $"exit {code}: {errors}");
        Assert.True(written, "no labeled file was written");
        Assert.True(peakKiB > 300 * 1024, $"only {peakKiB} KiB seen: the process was not sampled while it held the frame");
        Assert.True(peakKiB <= boundMiB * 1024, $"stamp peaked at {peakKiB / 1024} MiB resident, over the {boundMiB} MiB bound");
    }
}
