using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests;

/// <summary>`stamp --mode platform` as a platform runs it on files: the case per file in the output line,
/// the record read back by exiftool, and a missing propagator code refused up front.</summary>
public class PlatformStampTests
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["LABELSTAMP_MARK_KEY"] = new string('c', 64),
        ["LABELSTAMP_PRODUCER"] = "001191310000000000000000000",
    };

    private static (int Code, string Out, string Err) Cli(params string[] args) =>
        ExternalTool.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "LabelStamp.Cli.dll"), .. args], 180_000, Env);

    [Fact]
    public void Provider_output_is_kept_and_a_plain_upload_passes_through()
    {
        string dir = RepoPaths.NewTempDir();
        string uploads = Path.Combine(dir, "uploads");
        var provider = Cli("stamp", RepoPaths.Samples("images", "ladybird.jpg"), "-o", uploads, "--layers", "explicit,metadata,watermark");
        Assert.True(provider.Code == 0, provider.Err);
        File.Copy(RepoPaths.Samples("images", "storm.jpg"), Path.Combine(uploads, "storm.jpg"));

        var (code, output, error) = Cli("stamp", uploads, "-o", Path.Combine(dir, "published"), "--mode", "platform", "--propagator", "PLATCLI", "--layers", "explicit,metadata");
        Assert.True(code == 0, error);
        Assert.Contains("propagated 2 of 2 files (kept 1, declared 0, suspected 0, none 1)", output);
        Assert.Single(output.Split('\n'), l => l.Contains("ladybird.jpg") && l.Contains("platform-result kept evidence aigc,watermark,explicit [metadata] label 1"));
        string aigc = ExternalTool.ExifTool(Path.Combine(dir, "published", "ladybird.jpg"), "XMP-TC260:AIGC");
        Assert.Contains("\"ContentPropagator\":\"PLATCLI\"", aigc);
        Assert.Contains("\"Label\":\"1\"", aigc);
        Assert.Equal(File.ReadAllBytes(RepoPaths.Samples("images", "storm.jpg")), File.ReadAllBytes(Path.Combine(dir, "published", "storm.jpg")));
    }

    [Fact]
    public void Platform_mode_without_a_propagator_code_or_with_an_unknown_mode_is_refused()
    {
        var missing = Cli("stamp", RepoPaths.Samples("images", "storm.jpg"), "-o", RepoPaths.NewTempDir(), "--mode", "platform");
        Assert.Equal(2, missing.Code);
        Assert.StartsWith("error LS204:", missing.Err.Trim());
        var unknown = Cli("stamp", RepoPaths.Samples("images", "storm.jpg"), "-o", RepoPaths.NewTempDir(), "--mode", "cdn");
        Assert.Equal(2, unknown.Code);
        Assert.Contains("--mode 'cdn'", unknown.Err);
    }
}
