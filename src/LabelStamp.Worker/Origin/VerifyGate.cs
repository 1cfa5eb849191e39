namespace LabelStamp.Worker.Origin;

/// <summary>
/// Admission to verification: at most <c>concurrency</c> verifications run and at most <c>queue</c> uploads
/// wait for one; a request beyond that is refused at once (503) instead of joining an unbounded line behind
/// CPU-bound work, where it would hold its upload in memory and still get no answer.
/// </summary>
internal sealed class VerifyGate(int concurrency, int queue)
{
    // Never disposed: a verification that outlived its deadline gives its slot back whenever it ends, even
    // after shutdown, and a SemaphoreSlim without AvailableWaitHandle holds nothing to free.
    private readonly SemaphoreSlim _slots = new(concurrency, concurrency);
    private readonly int _places = concurrency + queue;
    private int _admitted; // waiting + running

    /// <summary>True when a request arriving now would be refused: checked before reading its body too.</summary>
    public bool IsFull => Volatile.Read(ref _admitted) >= _places;

    /// <summary>A place in line, or null at once when every place is taken.</summary>
    public Ticket? TryJoin()
    {
        int admitted = Volatile.Read(ref _admitted);
        while (true)
        {
            if (admitted >= _places) return null;
            int seen = Interlocked.CompareExchange(ref _admitted, admitted + 1, admitted);
            if (seen == admitted) return new Ticket(this);
            admitted = seen;
        }
    }

    /// <summary>One request's place: waits for a slot, and gives back slot and place exactly once.</summary>
    internal sealed class Ticket(VerifyGate gate) : IDisposable
    {
        private int _holdsSlot;
        private int _disposed;

        /// <summary>Waits for a running slot; a cancelled wait (client gone, deadline) leaves no slot taken.</summary>
        public async Task WaitForSlotAsync(CancellationToken ct)
        {
            await gate._slots.WaitAsync(ct).ConfigureAwait(false);
            Volatile.Write(ref _holdsSlot, 1);
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            if (Volatile.Read(ref _holdsSlot) == 1) gate._slots.Release();
            Interlocked.Decrement(ref gate._admitted);
        }
    }
}
