using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests.Contract;

/// <summary>Issue 21, item 3: stamping a file that already carries an AIGC record (Label 1) is refused
/// with LS211, which points to --restamp and to platform mode; --restamp relabels, leaving one record.</summary>
public sealed class RestampTests
{
    [Theory]
    [InlineData("images", "storm.jpg")]       // XMP TC260:AIGC
    [InlineData("audio", "speech-espeak.flac")] // Vorbis comment, read by the probe
    [InlineData("video", "pan-zoom.mp4")]     // moov/udta/meta key, read by the probe
    public void A_labeled_file_is_refused_with_LS211_and_restamp_relabels_it(string kind, string name)
    {
        string dir = RepoPaths.NewTempDir();
        string first = Path.Combine(dir, "first"), second = Path.Combine(dir, "second"), third = Path.Combine(dir, "third");
        // Metadata only keeps the runs short: the check reads the record, whatever the layers.
        string[] layers = ["--layers", "metadata", "--explicit-waived"];
        var once = CliRun.Run(["stamp", RepoPaths.Samples(kind, name), "-o", first, "--id", "first-id", .. layers]);
        Assert.True(once.Code == 0, once.Err);
        string labeled = Path.Combine(first, name);

        var refused = CliRun.Run(["stamp", labeled, "-o", second, .. layers]);
        Assert.Equal(2, refused.Code);
        string line = CliRun.ErrorLines(refused.Err).Single();
        Assert.StartsWith($"error LS211: {labeled}: already carries an AIGC label (Label 1, producer 001191310000000000000000000, ID first-id)", line);
        Assert.Contains("--restamp", line);
        Assert.Contains("--mode platform", line);
        Assert.Contains("stamped 0 of 1 files", refused.Out);
        Assert.False(Directory.Exists(second));

        var restamped = CliRun.Run(["stamp", labeled, "-o", third, "--id", "second-id", "--restamp", .. layers]);
        Assert.True(restamped.Code == 0, restamped.Err);
        var verify = CliRun.Run("verify", Path.Combine(third, name), "--json");
        Assert.Equal(0, verify.Code);
        Assert.Contains("ID second-id", verify.Out);
        Assert.DoesNotContain("first-id", verify.Out);
    }

    [Fact]
    public void Platform_mode_keeps_a_labeled_file_without_restamp()
    {
        string dir = RepoPaths.NewTempDir();
        var once = CliRun.Run("stamp", RepoPaths.Samples("images", "ladybird.jpg"), "-o", Path.Combine(dir, "first"), "--layers", "metadata", "--explicit-waived");
        Assert.True(once.Code == 0, once.Err);
        var platform = CliRun.Run("stamp", Path.Combine(dir, "first", "ladybird.jpg"), "-o", Path.Combine(dir, "platform"), "--mode", "platform", "--propagator", "PLATFORM01");
        Assert.True(platform.Code == 0, platform.Err);
        Assert.Contains("platform-result kept", platform.Out);
    }
}
