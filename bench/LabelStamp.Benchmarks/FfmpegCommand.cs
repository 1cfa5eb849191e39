using System.Diagnostics;

namespace LabelStamp.Benchmarks;

/// <summary>Runs Debian's ffmpeg for the figure commands (inputs, plain transcodes), quiet and overwriting.</summary>
public static class FfmpegCommand
{
    public static void Run(params string[] args)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-nostdin", "-hide_banner", "-v", "error", "-y" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("ffmpeg failed: " + err);
    }
}
