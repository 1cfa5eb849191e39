using System.Diagnostics;
using LabelStamp.Errors;

namespace LabelStamp.Pipeline;

/// <summary>
/// One item's deadline (stamp, platform stamp or verify of one file or message). The budget starts at
/// <see cref="MediaLimits.DeadlineFloor"/> plus <see cref="MediaLimits.DeadlinePerMebibyte"/> per MiB of
/// input; once a probe knows the work (video frames × pixels, audio seconds) the adapter raises it with
/// <see cref="Allow"/>; it never exceeds <see cref="MediaLimits.DeadlineCap"/>. When it passes, the token
/// every stage holds is cancelled: ffmpeg children are killed by their waits, workspaces deleted by their
/// scopes, CPU loops stop at their next check, and the item fails with LS112. Work that does not honour
/// the token (a native call) is abandoned after a short grace so the caller moves on regardless.
/// </summary>
public sealed class ItemDeadline : IDisposable
{
    /// <summary>How long a cancelled item gets to unwind (kill children, delete temp files) before it is abandoned.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _outer;
    private readonly MediaLimits _limits;
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly Lock _gate = new();
    private TimeSpan _budget;

    private ItemDeadline(MediaLimits limits, TimeSpan budget, CancellationToken outer)
    {
        _limits = limits;
        _outer = outer;
        _budget = budget;
        _source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _source.CancelAfter(budget);
    }

    /// <summary>Starts the clock for an item of <paramref name="bytes"/> bytes.</summary>
    public static ItemDeadline Start(MediaLimits limits, long bytes, CancellationToken outer)
    {
        double mebibytes = bytes / (double)(1 << 20);
        return new ItemDeadline(limits, limits.ClampDeadline(limits.DeadlineFloor + limits.DeadlinePerMebibyte * mebibytes), outer);
    }

    /// <summary>Cancelled at the deadline or when the caller cancels.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>The budget in force now.</summary>
    public TimeSpan Budget { get { lock (_gate) return _budget; } }

    /// <summary>True when the deadline (not the caller) cancelled the item.</summary>
    public bool HasExpired => _source.IsCancellationRequested && !_outer.IsCancellationRequested;

    /// <summary>Raises the budget to the floor plus <paramref name="work"/> (never lowers it, never past the cap):
    /// called once a probe knows how long the item's real work is.</summary>
    public void Allow(TimeSpan work)
    {
        lock (_gate)
        {
            var wanted = _limits.ClampDeadline(_limits.DeadlineFloor + work);
            if (wanted <= _budget || _source.IsCancellationRequested) return;
            _budget = wanted;
            var left = wanted - Stopwatch.GetElapsedTime(_start);
            try { _source.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero); }
            catch (ObjectDisposedException) { }
        }
    }

    public LabelStampException Exceeded(string name) => new(ErrorCode.DeadlineExceeded,
        $"{name}: not finished within its deadline of {Budget.TotalSeconds:0.#} s; its work was stopped (the deadline is --item-timeout, or for the worker Limits:DeadlineFloor plus size and duration allowances up to Limits:DeadlineCap)");

    /// <summary>
    /// Runs one item's work under this deadline. Whatever the work throws once the deadline has passed
    /// (cancellation, a broken pipe from a killed child, a tool timeout) is reported as LS112; work that
    /// ignores the token is waited for <see cref="Grace"/> and then abandoned.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, string name)
    {
        var task = work(Token);
        try
        {
            return await task.WaitAsync(Token).ConfigureAwait(false);
        }
        catch (Exception) when (HasExpired)
        {
            if (!task.IsCompleted)
                await Task.WhenAny(task, Task.Delay(Grace, CancellationToken.None)).ConfigureAwait(false);
            _ = task.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default); // observed: the deadline is the error reported
            throw Exceeded(name);
        }
        catch (OperationCanceledException) when (_outer.IsCancellationRequested && !task.IsCompleted)
        {
            // The caller is shutting down: let the work unwind its children and files before returning.
            await Task.WhenAny(task, Task.Delay(Grace, CancellationToken.None)).ConfigureAwait(false);
            _ = task.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            throw;
        }
    }

    public void Dispose() => _source.Dispose();
}
