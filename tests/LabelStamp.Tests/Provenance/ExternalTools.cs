using LabelStamp.TestSupport;

namespace LabelStamp.Tests.Provenance;

/// <summary>The provenance tests' view of the shared tool runner: node, ffmpeg and exiftool by name. A missing
/// tool fails the test with the install hint (TestSupport.ExternalTool); it never skips.</summary>
internal static class ExternalTools
{
    public static string RepoRoot() => RepoPaths.Root;

    public static (int Exit, string Stdout, string Stderr) Run(string tool, params string[] args) => ExternalTool.Run(tool, args);

    public static void Ffmpeg(params string[] args)
    {
        var (exit, _, err) = ExternalTool.Run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", .. args]);
        if (exit != 0) throw new InvalidOperationException("ffmpeg failed: " + err);
    }
}
