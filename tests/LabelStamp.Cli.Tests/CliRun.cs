using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests;

/// <summary>The built CLI as a separate process with a fixed key and producer, as a user runs it.</summary>
internal static class CliRun
{
    public static readonly Dictionary<string, string> Env = new()
    {
        ["LABELSTAMP_MARK_KEY"] = new string('c', 64),
        ["LABELSTAMP_PRODUCER"] = "001191310000000000000000000",
    };

    public static (int Code, string Out, string Err) Run(params string[] args) => RunWith(Env, args);

    public static (int Code, string Out, string Err) RunWith(IDictionary<string, string> env, params string[] args) =>
        ExternalTool.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "LabelStamp.Cli.dll"), .. args], 180_000, env);

    /// <summary>The lines of a stream that are error lines ("error LSnnn: …").</summary>
    public static string[] ErrorLines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith("error ", StringComparison.Ordinal)).ToArray();
}
