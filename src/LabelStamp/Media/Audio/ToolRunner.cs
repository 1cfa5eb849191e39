using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using LabelStamp.Errors;

namespace LabelStamp.Media.Audio;

/// <summary>
/// Runs ffmpeg/ffprobe as plain processes with argument lists (never a shell string), with a
/// wall-clock timeout on every call: on timeout or cancellation the whole process tree is killed and a
/// typed <see cref="ErrorCode.ToolTimeout"/> is thrown. Standard error is kept (bounded) for messages.
/// Every child is registered with <see cref="ChildReaper"/>, so none outlives this process.
/// </summary>
public sealed class ToolRunner
{
    public ToolRunner(string ffmpegPath = "/usr/bin/ffmpeg", string ffprobePath = "/usr/bin/ffprobe")
    {
        FfmpegPath = ffmpegPath;
        FfprobePath = ffprobePath;
    }

    public string FfmpegPath { get; }
    public string FfprobePath { get; }

    /// <summary>Starts a tool with redirected pipes, in <paramref name="workingDirectory"/> when given (where
    /// its relative names resolve). The caller owns the process and must use <see cref="WaitAsync"/>.</summary>
    public Process Start(string tool, IReadOnlyList<string> arguments, string name, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(tool)
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments) info.ArgumentList.Add(a);
        try
        {
            var process = Process.Start(info) ?? throw new LabelStampException(ErrorCode.ToolMissing, $"{name}: could not start {tool}");
            ChildReaper.Track(process);
            return process;
        }
        catch (Win32Exception e)
        {
            throw new LabelStampException(ErrorCode.ToolMissing, $"{name}: {tool} is not installed or not executable (apt-get install ffmpeg)", e);
        }
    }

    /// <summary>Collects standard error (first 4 KiB) in the background.</summary>
    public static Task<string> CollectErrorsAsync(Process process) => Task.Run(async () =>
    {
        var sb = new StringBuilder();
        char[] buf = new char[1024];
        int n;
        while ((n = await process.StandardError.ReadAsync(buf).ConfigureAwait(false)) > 0)
            if (sb.Length < 4096) sb.Append(buf, 0, Math.Min(n, 4096 - sb.Length));
        return sb.ToString();
    });

    /// <summary>Waits for exit within the timeout; kills the tree on timeout or cancellation.</summary>
    public static async Task WaitAsync(Process process, Task<string> errors, TimeSpan timeout, string what, string name, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new LabelStampException(ErrorCode.ToolTimeout, $"{name}: {what} did not finish within {timeout.TotalSeconds:0.#} s and was stopped");
        }
        string stderr = await errors.ConfigureAwait(false);
        if (process.ExitCode != 0)
            throw new LabelStampException(ErrorCode.ToolFailed, $"{name}: {what} failed (exit {process.ExitCode}): {FirstLine(stderr)}");
    }

    public static void Kill(Process process) => ChildReaper.Kill(process);

    /// <summary>Runs to completion feeding nothing on stdin and returns standard output as text.</summary>
    public async Task<string> RunForTextAsync(string tool, IReadOnlyList<string> arguments, TimeSpan timeout, string what, string name, CancellationToken cancellationToken)
    {
        using var p = Start(tool, arguments, name);
        p.StandardInput.Close();
        var errors = CollectErrorsAsync(p);
        var output = p.StandardOutput.ReadToEndAsync(cancellationToken);
        await WaitAsync(p, errors, timeout, what, name, cancellationToken).ConfigureAwait(false);
        return await output.ConfigureAwait(false);
    }

    private static string FirstLine(string text)
    {
        string t = text.Trim();
        int nl = t.IndexOf('\n');
        string line = nl < 0 ? t : t[..nl];
        return line.Length == 0 ? "no message" : line.Length > 300 ? line[..300] : line;
    }
}
