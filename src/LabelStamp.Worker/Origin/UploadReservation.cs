namespace LabelStamp.Worker.Origin;

/// <summary>
/// One request's share of the <see cref="UploadBudget"/>, taken before its buffer is allocated and given back
/// exactly once, on every path (answer, refusal, client gone, or the end of a verification that outlived its
/// deadline), by <see cref="Dispose"/>.
/// </summary>
internal sealed class UploadReservation(UploadBudget budget) : IDisposable
{
    private long _held;

    /// <summary>Adds <paramref name="bytes"/> to what this request holds; false, holding nothing more, when the budget has no room.</summary>
    public bool TryReserve(long bytes)
    {
        if (!budget.TryTake(bytes)) return false;
        Interlocked.Add(ref _held, bytes);
        return true;
    }

    /// <summary>Gives everything back; the request's buffer is garbage from now on (<see cref="UploadBudget.Discarded"/>).</summary>
    public void Dispose()
    {
        long held = Interlocked.Exchange(ref _held, 0);
        budget.Give(held);
        budget.Discarded(held);
    }
}
