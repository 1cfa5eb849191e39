using System.Diagnostics;

namespace LabelStamp.TestSupport;

/// <summary>Runs an independent tool (exiftool, ffprobe, the CLI) with a timeout. A missing tool fails
/// the test with an install hint; it is never a silent skip.</summary>
internal static class ExternalTool
{
    public static (int ExitCode, string StdOut, string StdErr) Run(string tool, IEnumerable<string> args, int timeoutMs = 120_000,
        IDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        if (environment is not null) foreach (var (k, v) in environment) psi.Environment[k] = v;
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} is not installed; run scripts/install-deps.sh", e);
        }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeoutMs))
            {
                p.Kill(true);
                throw new TimeoutException($"{tool} {string.Join(' ', args)} did not finish in {timeoutMs} ms");
            }
            return (p.ExitCode, stdout.Result, stderr.Result);
        }
    }

    /// <summary>One tag as exiftool reads it (-s3: value only), or "" when absent.</summary>
    public static string ExifTool(string file, string tag)
    {
        var (code, output, error) = Run("exiftool", ["-s3", "-" + tag, file]);
        if (code != 0) throw new InvalidOperationException($"exiftool failed on {file}: {error}");
        return output.Trim();
    }
}
