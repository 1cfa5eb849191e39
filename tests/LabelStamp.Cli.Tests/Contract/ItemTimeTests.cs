using System.Globalization;
using System.Text.RegularExpressions;
using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests.Contract;

/// <summary>Issue 21, item 6: the "(N ms)" of an ok line is the file's wall-clock time, never the sum of
/// overlapping stage timings (a video's decode, encode and audio run at once: that sum exceeded the run).</summary>
public sealed class ItemTimeTests
{
    [Fact]
    public void A_video_ok_line_time_fits_inside_the_run_while_its_stages_overlap()
    {
        string dir = RepoPaths.NewTempDir();
        var (code, stdout, err) = CliRun.Run("stamp", "--verbose", RepoPaths.Samples("video", "pan-zoom.mp4"), "-o", dir);
        Assert.True(code == 0, err);
        var ok = Regex.Match(stdout, @"^ok .* \((?<ms>[0-9]+) ms\) stages (?<stages>.*)$", RegexOptions.Multiline);
        Assert.True(ok.Success, stdout);
        double itemMs = double.Parse(ok.Groups["ms"].Value, CultureInfo.InvariantCulture);
        var run = Regex.Match(stdout, @"stamped 1 of 1 files .* in (?<s>[0-9.]+) s;");
        Assert.True(run.Success, stdout);
        double runMs = double.Parse(run.Groups["s"].Value, CultureInfo.InvariantCulture) * 1000;
        Assert.InRange(itemMs, 1, runMs + 10); // the summary rounds to 10 ms

        // The stages (printed with --verbose) still say where the time went; they may add up to more.
        double stageSum = Regex.Matches(ok.Groups["stages"].Value, @"=(?<v>[0-9.]+)ms").Sum(m => double.Parse(m.Groups["v"].Value, CultureInfo.InvariantCulture));
        Assert.True(stageSum > 0);
    }
}
