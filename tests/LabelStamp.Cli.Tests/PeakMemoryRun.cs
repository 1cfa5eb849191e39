using System.Diagnostics;

namespace LabelStamp.Cli.Tests;

/// <summary>
/// The built CLI as its own process, with its peak resident memory: the kernel's high-water mark
/// (VmHWM in /proc/PID/status), polled while it runs. VmHWM only grows, so the last reading is the
/// peak up to that moment, and the peak of the commands measured is reached while pixels are decoded,
/// marked or encoded, long before the process prints and exits.
/// </summary>
internal static class PeakMemoryRun
{
    public static async Task<(int Code, string Out, string Err, long PeakKiB)> RunAsync(TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LabelStamp.Cli.dll"));
        foreach (string arg in args) psi.ArgumentList.Add(arg);
        foreach (var (k, v) in CliRun.Env) psi.Environment[k] = v;
        using var cli = Process.Start(psi)!;
        var stdout = cli.StandardOutput.ReadToEndAsync();
        var stderr = cli.StandardError.ReadToEndAsync();
        long peakKiB = 0;
        var clock = Stopwatch.StartNew();
        while (!cli.HasExited && clock.Elapsed < timeout)
        {
            if (HighWaterMarkKiB(cli.Id) is { } hwm) peakKiB = Math.Max(peakKiB, hwm);
            await Task.Delay(20);
        }
        if (!cli.HasExited) cli.Kill(entireProcessTree: true);
        await cli.WaitForExitAsync();
        return (cli.ExitCode, await stdout, await stderr, peakKiB);
    }

    private static long? HighWaterMarkKiB(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            // gone between the check and the read
        }
        return null;
    }
}
