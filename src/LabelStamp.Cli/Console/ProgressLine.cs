using System.Diagnostics;

namespace LabelStamp.Cli.Console;

/// <summary>A single self-overwriting progress line on stderr, shown only when stderr is a terminal
/// (pipes and CI logs get the per-file lines and the summary, not carriage-return noise).</summary>
public sealed class ProgressLine(int total, string verb)
{
    private readonly bool _enabled = !System.Console.IsErrorRedirected;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private int _done;
    private long _lastDrawTicks;

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Advance()
    {
        int done = Interlocked.Increment(ref _done);
        if (!_enabled) return;
        lock (_gate)
        {
            long now = _clock.ElapsedTicks;
            if (done != total && now - _lastDrawTicks < Stopwatch.Frequency / 10) return;
            _lastDrawTicks = now;
            double rate = done / Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
            System.Console.Error.Write($"\r{verb} {done}/{total} ({100.0 * done / total:0}%) {rate:0.0} files/s   ");
            if (done == total) System.Console.Error.Write('\r' + new string(' ', 60) + '\r');
        }
    }

    /// <summary>Prints a line above the progress line without garbling it.</summary>
    public void WriteLine(TextWriter writer, string line)
    {
        lock (_gate)
        {
            if (_enabled) System.Console.Error.Write('\r' + new string(' ', 60) + '\r');
            writer.WriteLine(line);
        }
    }
}
