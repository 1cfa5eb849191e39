namespace LabelStamp.Worker.Consumers;

/// <summary>
/// Bounds what the worker holds at once, by item count and by bytes (spec §7: bounded memory). The
/// consume loop pauses its partitions while there is no room instead of buffering without limit.
/// </summary>
public sealed class InFlightBudget
{
    private readonly object _gate = new();
    private readonly int _maxItems;
    private readonly long _maxBytes;
    private int _items;
    private long _bytes;

    public InFlightBudget(int maxItems, long maxBytes)
    {
        _maxItems = maxItems;
        _maxBytes = maxBytes;
    }

    public int Items { get { lock (_gate) return _items; } }
    public long Bytes { get { lock (_gate) return _bytes; } }

    /// <summary>Room for one more; an item larger than the whole budget still runs alone, so it never starves.</summary>
    public bool HasRoom
    {
        get { lock (_gate) return _items < _maxItems && (_bytes < _maxBytes || _items == 0); }
    }

    public void Take(long bytes)
    {
        lock (_gate) { _items++; _bytes += bytes; }
    }

    public void Return(long bytes)
    {
        lock (_gate)
        {
            _items--;
            _bytes -= bytes;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits until something is returned or the timeout passes.</summary>
    public void WaitForReturn(TimeSpan timeout)
    {
        lock (_gate)
        {
            if (_items < _maxItems && (_bytes < _maxBytes || _items == 0)) return;
            Monitor.Wait(_gate, timeout);
        }
    }

    /// <summary>Waits until nothing is in flight; false on timeout.</summary>
    public bool WaitForEmpty(TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_gate)
        {
            while (_items > 0)
            {
                long left = deadline - Environment.TickCount64;
                if (left <= 0) return false;
                Monitor.Wait(_gate, TimeSpan.FromMilliseconds(Math.Min(left, 250)));
            }
            return true;
        }
    }
}
