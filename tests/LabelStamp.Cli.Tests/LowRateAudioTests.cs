using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests;

/// <summary>
/// Audio below 16 kHz cannot carry the watermark (its bands reach 7.4 kHz): `stamp` applies the other
/// layers, leaves the watermark out of the layer list and says so on the file's line, and the signed
/// C2PA manifest states no soft binding. Input: 3 s of a 440 Hz tone at 11.025 kHz made by ffmpeg.
/// </summary>
public sealed class LowRateAudioTests
{
    [Fact]
    public void Stamp_says_the_watermark_was_not_applied_below_16_kHz()
    {
        string dir = RepoPaths.NewTempDir();
        string input = Path.Combine(dir, "low-rate.wav");
        var made = ExternalTool.Run("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=11025:duration=3",
            "-c:a", "pcm_s16le", "-y", input], 60_000);
        Assert.True(made.ExitCode == 0, made.StdErr);
        string output = Path.Combine(dir, "out");

        var (code, stdout, stderr) = CliRun.Run("stamp", "-o", output, input);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("[explicit,metadata,c2pa]", stdout);
        Assert.Contains("watermark not applied: audio below 16 kHz cannot carry the mark", stdout);

        var (verified, report, _) = CliRun.Run("verify", "--json", Path.Combine(output, "low-rate.wav"));
        Assert.Equal(0, verified);
        Assert.Contains("\"hardBindingValid\": true", report); // the manifest is there and was read
        Assert.DoesNotContain("com.labelstamp.watermark", report);
    }
}
