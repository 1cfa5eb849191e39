namespace LabelStamp.Worker.Consumers;

/// <summary>
/// Offsets of one partition that are in flight. Items finish out of order (parallel labeling), but the
/// offset stored for commit may only move past an offset once it and everything before it is
/// acknowledged: the lowest pending offset, or one past the highest done when nothing is pending.
/// </summary>
public sealed class PartitionProgress
{
    private readonly SortedSet<long> _pending = [];
    private long _highestDone = -1;
    private long _committable = -1;

    public int PendingCount
    {
        get { lock (_pending) return _pending.Count; }
    }

    public void Begin(long offset)
    {
        lock (_pending)
        {
            // The first offset seen is where this partition resumed: committing it again would be a no-op.
            if (_committable < 0) _committable = offset;
            _pending.Add(offset);
        }
    }

    /// <summary>Marks an offset acknowledged; returns the new commit position if it advanced.</summary>
    public long? Complete(long offset)
    {
        lock (_pending)
        {
            if (!_pending.Remove(offset)) return null;
            _highestDone = Math.Max(_highestDone, offset);
            long position = _pending.Count > 0 ? _pending.Min : _highestDone + 1;
            if (position <= _committable) return null;
            _committable = position;
            return position;
        }
    }
}
