using System.Diagnostics;

namespace LabelStamp.Tests.Provenance;

/// <summary>Runs node, ffmpeg and exiftool for the provenance tests. A missing tool fails the test with the install hint; it never skips.</summary>
public sealed class ExternalTools
{
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "tests", "c2pa-reader", "read.mjs"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (tests/c2pa-reader/read.mjs) above " + AppContext.BaseDirectory);
    }

    public static string Require(string tool, string hint)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(Path.PathSeparator))
        {
            var path = Path.Combine(dir, tool);
            if (File.Exists(path)) return path;
        }
        throw new InvalidOperationException($"required tool '{tool}' is not installed: {hint}");
    }

    public static (int Exit, string Stdout, string Stderr) Run(string tool, string hint, params string[] args)
    {
        var psi = new ProcessStartInfo(Require(tool, hint)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', args)} did not finish in 2 minutes");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    public static void Ffmpeg(params string[] args)
    {
        var (exit, _, err) = Run("ffmpeg", "apt-get install ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", .. args]);
        if (exit != 0) throw new InvalidOperationException("ffmpeg failed: " + err);
    }
}
