using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using LabelStamp.Errors;

namespace LabelStamp.Media.Ffmpeg;

/// <summary>
/// One child process (ffmpeg, ffprobe, fc-match) and everything it owns: argument list (never a shell
/// string), redirected pipes, its standard error (the first 4 KiB, read in the background so a chatty
/// tool never blocks on a full pipe), its registration with <see cref="ChildReaper"/>, and its end:
/// disposing the scope kills the tree if it is still running, on every path. Errors name the process
/// by what it was doing ("ffmpeg audio encode"), so a pipeline of two reports the one that failed.
/// </summary>
public sealed class ToolProcess : IDisposable
{
    private const int MaxErrorChars = 4096;
    private readonly Process _process;
    private readonly Task<string> _errors;
    private bool _killed;

    private ToolProcess(Process process, string what, string name)
    {
        _process = process;
        What = what;
        Name = name;
        _errors = CollectErrorsAsync(process);
    }

    /// <summary>What the process does, as messages name it (e.g. "ffmpeg audio decode").</summary>
    public string What { get; }

    /// <summary>The item it works for (file name), the prefix of every message.</summary>
    public string Name { get; }

    /// <summary>The operating system's process id (diagnostics and tests).</summary>
    public int Id => _process.Id;

    public Stream Input => _process.StandardInput.BaseStream;
    public Stream Output => _process.StandardOutput.BaseStream;
    public StreamReader OutputText => _process.StandardOutput;

    public bool HasExited
    {
        get
        {
            try { return _process.HasExited; }
            catch (InvalidOperationException) { return true; }
        }
    }

    /// <summary>Starts <paramref name="tool"/> in <paramref name="workingDirectory"/> when given (where its
    /// relative names resolve). A tool that is not installed is <see cref="ErrorCode.ToolMissing"/>.</summary>
    public static ToolProcess Start(string tool, IReadOnlyList<string> arguments, string what, string name, string? workingDirectory = null)
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
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new LabelStampException(ErrorCode.ToolMissing, $"{name}: could not start {tool}");
        }
        catch (Win32Exception e)
        {
            throw new LabelStampException(ErrorCode.ToolMissing, $"{name}: {tool} is not installed or not executable ({InstallHint(tool)})", e);
        }
        ChildReaper.Track(process);
        return new ToolProcess(process, what, name);
    }

    /// <summary>Runs a tool to completion feeding nothing on stdin and returns standard output as text.</summary>
    public static async Task<string> RunToEndAsync(string tool, IReadOnlyList<string> arguments, TimeSpan timeout, string what, string name, CancellationToken cancellationToken)
    {
        using var p = Start(tool, arguments, what, name);
        p.CloseInput();
        var output = p.OutputText.ReadToEndAsync(cancellationToken);
        await p.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        return await output.ConfigureAwait(false);
    }

    /// <summary>Closes standard input: tools that read nothing from it see end of file at once.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Waits for the exit within <paramref name="timeout"/>; on timeout or cancellation the tree is
    /// killed (<see cref="ErrorCode.ToolTimeout"/>, or the cancellation itself); a non-zero exit is
    /// <see cref="ErrorCode.ToolFailed"/> with the tool's first line of standard error.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            cancellationToken.ThrowIfCancellationRequested();
            throw TimedOut(timeout);
        }
        await _errors.ConfigureAwait(false);
        if (_process.ExitCode != 0) throw await FailureAsync().ConfigureAwait(false);
    }

    /// <summary>The exit code once the process has ended within <paramref name="wait"/>, else null; never
    /// throws. A process this scope killed reports null: its exit says nothing about its input.</summary>
    public async Task<int?> ExitCodeWithinAsync(TimeSpan wait)
    {
        using var cts = new CancellationTokenSource(wait);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        return _killed ? null : _process.ExitCode;
    }

    /// <summary>The typed error for this process's non-zero exit, with its own message.</summary>
    public async Task<LabelStampException> FailureAsync()
    {
        string stderr = await _errors.ConfigureAwait(false);
        return new LabelStampException(ErrorCode.ToolFailed, $"{Name}: {What} failed (exit {_process.ExitCode}): {FirstLine(stderr)}");
    }

    public LabelStampException TimedOut(TimeSpan timeout) =>
        new(ErrorCode.ToolTimeout, $"{Name}: {What} did not finish within {timeout.TotalSeconds:0.#} s and was stopped");

    /// <summary>Kills the process and its descendants if it is still running.</summary>
    public void Kill()
    {
        if (HasExited) return;
        _killed = true;
        ChildReaper.Kill(_process);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static Task<string> CollectErrorsAsync(Process process) => Task.Run(async () =>
    {
        var sb = new StringBuilder();
        char[] buf = new char[1024];
        int n;
        while ((n = await process.StandardError.ReadAsync(buf).ConfigureAwait(false)) > 0)
            if (sb.Length < MaxErrorChars) sb.Append(buf, 0, Math.Min(n, MaxErrorChars - sb.Length));
        return sb.ToString();
    });

    private static string FirstLine(string text)
    {
        string t = text.Trim();
        int nl = t.IndexOf('\n');
        string line = nl < 0 ? t : t[..nl];
        return line.Length == 0 ? "no message" : line.Length > 300 ? line[..300] : line;
    }

    private static string InstallHint(string tool) => Path.GetFileName(tool) switch
    {
        "fc-match" or "fc-query" => "apt-get install fontconfig",
        _ => "apt-get install ffmpeg",
    };
}
