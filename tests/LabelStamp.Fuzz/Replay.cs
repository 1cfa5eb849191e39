using System.Diagnostics;

namespace LabelStamp.Fuzz;

/// <summary>
/// Runs a target over saved inputs (a fuzzer's queue, crashes or hangs, or the committed regression
/// inputs) without the fuzzer: prints each finding with its exception, and the slowest input, so a hang
/// found under afl-fuzz can be timed here.
/// </summary>
public static class Replay
{
    public static int Run(FuzzTarget target, IEnumerable<string> paths)
    {
        int inputs = 0, findings = 0;
        (string File, double Ms) slowest = ("", 0);
        foreach (string file in paths.SelectMany(Expand))
        {
            inputs++;
            long t = Stopwatch.GetTimestamp();
            try
            {
                target.Run(File.ReadAllBytes(file));
            }
            catch (Exception e)
            {
                findings++;
                Console.WriteLine($"FINDING {file}: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")} {WhereThrown(e)}");
            }
            double ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            if (ms > slowest.Ms) slowest = (file, ms);
        }
        Console.WriteLine($"{target.Name}: {inputs} inputs, {findings} findings; slowest {slowest.Ms:0.#} ms ({Path.GetFileName(slowest.File)})");
        return findings == 0 ? 0 : 1;
    }

    /// <summary>The innermost frame of our own code, which names the parser to fix.</summary>
    private static string WhereThrown(Exception e)
    {
        var frame = new StackTrace(e, fNeedFileInfo: false).GetFrames()
            .FirstOrDefault(f => f.GetMethod()?.DeclaringType?.Namespace?.StartsWith("LabelStamp.", StringComparison.Ordinal) == true && f.GetMethod()?.DeclaringType?.Namespace != "LabelStamp.Fuzz");
        return frame?.GetMethod() is { } m ? $"at {m.DeclaringType?.Name}.{m.Name}" : "";
    }

    private static IEnumerable<string> Expand(string path) =>
        Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith("README.md", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            : [path];
}
