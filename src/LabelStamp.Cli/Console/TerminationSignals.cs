using System.Runtime.InteropServices;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Cli.Console;

/// <summary>
/// SIGINT, SIGTERM and SIGQUIT become one cancellation: the running command stops taking new files,
/// every in-flight item unwinds through its own scopes (ffmpeg children killed, workspaces deleted)
/// and the command prints its summary. We handle the signals ourselves rather than leave them to the
/// runtime or the command-line library, whose defaults end the process without running any cleanup.
/// If unwinding takes longer than <see cref="UnwindLimit"/>, whatever is still alive is reaped and the
/// process exits anyway; a second signal does the same at once. A command that runs a host with its own
/// graceful shutdown (the worker drains in-flight messages for Worker:DrainTimeout) is given no such
/// limit: its host decides, and the second signal still ends it at once.
/// </summary>
public sealed class TerminationSignals : IDisposable
{
    public static readonly TimeSpan UnwindLimit = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;
    private readonly bool _unwindLimit;
    private int _signal;

    public TerminationSignals(bool unwindLimit = true)
    {
        _unwindLimit = unwindLimit;
        _registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT }.Select(s => PosixSignalRegistration.Create(s, OnSignal))];
    }

    public CancellationToken Token => _source.Token;

    /// <summary>The exit status for the signal received (128 + its number), or null when none was.</summary>
    public int? ExitCode => _signal == 0 ? null : 128 + _signal;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // we end the process ourselves, after cleanup
        int number = context.Signal switch { PosixSignal.SIGINT => 2, PosixSignal.SIGQUIT => 3, _ => 15 };
        if (Interlocked.CompareExchange(ref _signal, number, 0) != 0)
        {
            Exit(number); // the second signal: stop now
            return;
        }
        _source.Cancel();
        if (_unwindLimit) _ = Task.Delay(UnwindLimit).ContinueWith(_ => Exit(number), TaskScheduler.Default);
    }

    private static void Exit(int signal)
    {
        ChildReaper.ReapAll();
        Environment.Exit(128 + signal);
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _source.Dispose();
    }
}
