using System.Diagnostics;
using NetVips;

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

    /// <summary>A 10,000 × 10,000 PNG of one colour (<paramref name="levels"/>, one per band) in
    /// <paramref name="dir"/>: one run of deflate per row keeps the file at 1–2 MB and its making at a few
    /// seconds, and a decoder still produces every one of its 100 million pixels.</summary>
    public static string FlatPng(string dir, string name, params double[] levels)
    {
        string png = Path.Combine(dir, name);
        using var black = Image.Black(10_000, 10_000, bands: levels.Length);
        using var flat = black.Linear(levels.Select(_ => 1.0).ToArray(), levels, uchar: true);
        using var tagged = flat.Copy(interpretation: Enums.Interpretation.Srgb);
        tagged.Pngsave(png, compression: 1);
        return png;
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
