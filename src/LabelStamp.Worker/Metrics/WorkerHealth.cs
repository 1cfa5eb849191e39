namespace LabelStamp.Worker.Metrics;

/// <summary>Liveness of the consume loop: healthy while it has polled recently and hit no fatal error.</summary>
public sealed class WorkerHealth
{
    private long _lastPollTicks = Environment.TickCount64;
    private volatile string? _fatal;

    public TimeSpan StallLimit { get; init; } = TimeSpan.FromMinutes(2);

    public void Polled() => Interlocked.Exchange(ref _lastPollTicks, Environment.TickCount64);

    public void Fatal(string reason) => _fatal = reason;

    public bool IsFatal => _fatal is not null;

    public bool IsHealthy(out string reason)
    {
        if (_fatal is { } fatal) { reason = "fatal: " + fatal; return false; }
        long idleMs = Environment.TickCount64 - Interlocked.Read(ref _lastPollTicks);
        if (idleMs > StallLimit.TotalMilliseconds) { reason = $"consume loop stalled for {idleMs / 1000}s"; return false; }
        reason = "ok";
        return true;
    }
}
