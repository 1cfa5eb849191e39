using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LabelStamp.Cli.Tests;

/// <summary>
/// A real <c>labelstamp serve</c> child process on a free loopback port, with every line it prints kept
/// (its log goes to stdout, errors to stderr), so tests can read its memory and check what it logged.
/// </summary>
internal sealed partial class ServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines;

    private ServeProcess(Process process, ConcurrentQueue<string> lines, string baseUrl)
    {
        _process = process;
        _lines = lines;
        Base = baseUrl;
    }

    public string Base { get; }

    public int Pid => _process.Id;

    /// <summary>Every line printed so far, stdout and stderr interleaved as they arrived.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    public static ServeProcess Start(string store, params string[] flags)
    {
        var psi = NewStartInfo(["--listen", "http://127.0.0.1:0", "--store", new Uri(store).AbsoluteUri, .. flags]);
        var process = Process.Start(psi)!;
        var first = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { first.TrySetResult(null); return; }
            lines.Enqueue(e.Data);
            first.TrySetResult(e.Data);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!first.Task.Wait(TimeSpan.FromSeconds(60)) || first.Task.Result is null)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("serve did not report its address within 60 s: " + string.Join(" | ", lines));
        }
        string baseUrl = LoopbackUrl().Match(first.Task.Result).Value;
        Assert.False(string.IsNullOrEmpty(baseUrl), first.Task.Result);
        return new ServeProcess(process, lines, baseUrl);
    }

    /// <summary>Runs serve expecting it to fail at start-up: exit code, stdout and stderr.</summary>
    public static (int ExitCode, string StdOut, string StdErr) RunToFailure(params string[] args)
    {
        using var process = Process.Start(NewStartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("serve kept running; it was expected to fail at start-up");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Peak resident memory of the server process (VmHWM), in bytes.</summary>
    public long PeakResidentBytes()
    {
        foreach (string line in File.ReadLines($"/proc/{Pid}/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException("no VmHWM in /proc/" + Pid + "/status");
    }

    /// <summary>Waits (bounded) until <paramref name="count"/> lines contain one of <paramref name="texts"/>; the log is written asynchronously.</summary>
    public IReadOnlyList<string> WaitForLines(int count, params string[] texts)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var found = Lines.Where(l => texts.Any(t => l.Contains(t, StringComparison.Ordinal))).ToList();
            if (found.Count >= count || watch.ElapsedMilliseconds > 10_000) return found;
            Thread.Sleep(50);
        }
    }

    private static ProcessStartInfo NewStartInfo(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { ServeTests.Server.Cli, "serve" }.Concat(args)) psi.ArgumentList.Add(a);
        psi.Environment["LABELSTAMP_MARK_KEY"] = new string('a', 64);
        return psi;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+")]
    private static partial Regex LoopbackUrl();
}
