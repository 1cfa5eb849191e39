namespace LabelStamp.Worker.Origin;

/// <summary>
/// The bytes all POST /verify uploads together may hold (<see cref="OriginOptions.MaxUploadBytesInFlight"/>).
/// Taking never waits: a request that does not fit is refused (503) rather than queued, because a queue
/// of buffered uploads is the memory growth this exists to stop.
/// </summary>
internal sealed class UploadBudget
{
    private long _available;
    private long _discardedSinceCollection;

    public UploadBudget(long capacity)
    {
        Capacity = capacity;
        _available = capacity;
    }

    public long Capacity { get; }


    public bool TryTake(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        long available = Volatile.Read(ref _available);
        while (true)
        {
            if (available < bytes) return false;
            long seen = Interlocked.CompareExchange(ref _available, available - bytes, available);
            if (seen == available) return true;
            available = seen;
        }
    }

    public void Give(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Interlocked.Add(ref _available, bytes);
    }

    /// <summary>
    /// Upload buffers are large-object-heap arrays that only a full collection frees, and the server GC lets
    /// them pile up: 170 uploads of 60 MiB in waves of 10 and 20 under a 256 MiB budget peaked at 838 MB RSS
    /// with the budget alone, 518 MB with this. Once half the budget's worth of buffers has been dropped, a
    /// background full collection is asked for: cheap (byte arrays hold no references to trace), and at most
    /// one per half budget of uploads.
    /// </summary>
    public void Discarded(long bytes)
    {
        if (Interlocked.Add(ref _discardedSinceCollection, bytes) < Capacity / 2) return;
        Interlocked.Exchange(ref _discardedSinceCollection, 0);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: false);
    }
}
