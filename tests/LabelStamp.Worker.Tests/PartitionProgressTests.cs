using LabelStamp.Worker.Consumers;

namespace LabelStamp.Worker.Tests;

public sealed class PartitionProgressTests
{
    [Fact]
    public void CommitPosition_WaitsForTheLowestPendingOffset()
    {
        var p = new PartitionProgress();
        foreach (long o in new long[] { 10, 11, 12, 13 }) p.Begin(o);
        Assert.Null(p.Complete(12));      // 10 and 11 still pending: nothing may be committed past 10
        Assert.Null(p.Complete(13));
        Assert.Equal(11, p.Complete(10)); // 11 is the lowest pending
        Assert.Equal(14, p.Complete(11)); // all done: one past the highest
        Assert.Equal(0, p.PendingCount);
    }

    [Fact]
    public void UnknownOrRepeatedCompletion_DoesNotMoveThePosition()
    {
        var p = new PartitionProgress();
        p.Begin(5);
        Assert.Null(p.Complete(4));
        Assert.Equal(6, p.Complete(5));
        Assert.Null(p.Complete(5));
    }

    [Fact]
    public void InFlightBudget_BoundsItemsAndBytes_ButNeverStarvesAHugeItem()
    {
        var budget = new InFlightBudget(maxItems: 2, maxBytes: 100);
        Assert.True(budget.HasRoom);
        budget.Take(1000); // bigger than the whole budget, alone: allowed
        Assert.False(budget.HasRoom);
        budget.Return(1000);
        budget.Take(10);
        budget.Take(10);
        Assert.False(budget.HasRoom); // item bound
        budget.Return(10);
        Assert.True(budget.HasRoom);
        budget.Return(10);
        Assert.True(budget.WaitForEmpty(TimeSpan.FromSeconds(1)));
    }
}
