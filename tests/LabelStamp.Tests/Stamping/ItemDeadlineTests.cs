using System.Diagnostics;
using LabelStamp.Errors;
using LabelStamp.Pipeline;

namespace LabelStamp.Tests.Stamping;

/// <summary>Issue 22: one item's deadline — its budget, how probes raise it, and what a caller sees when it passes.</summary>
public sealed class ItemDeadlineTests
{
    private static readonly MediaLimits Limits = new()
    {
        DeadlineFloor = TimeSpan.FromSeconds(1),
        DeadlinePerMebibyte = TimeSpan.FromSeconds(2),
        DeadlineCap = TimeSpan.FromSeconds(20),
    };

    [Fact]
    public void The_budget_is_the_floor_plus_size_within_the_cap()
    {
        using (var small = ItemDeadline.Start(Limits, 0, default)) Assert.Equal(TimeSpan.FromSeconds(1), small.Budget);
        using (var mid = ItemDeadline.Start(Limits, 3 << 20, default)) Assert.Equal(TimeSpan.FromSeconds(7), mid.Budget);
        using (var huge = ItemDeadline.Start(Limits, 1L << 40, default)) Assert.Equal(TimeSpan.FromSeconds(20), huge.Budget);
    }

    [Fact]
    public void Allow_raises_the_budget_for_probed_work_never_lowers_it_and_stops_at_the_cap()
    {
        using var deadline = ItemDeadline.Start(Limits, 3 << 20, default);
        deadline.Allow(TimeSpan.FromSeconds(2)); // floor + 2 = 3 s < 7 s: no change
        Assert.Equal(TimeSpan.FromSeconds(7), deadline.Budget);
        deadline.Allow(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(11), deadline.Budget);
        deadline.Allow(TimeSpan.FromHours(1));
        Assert.Equal(TimeSpan.FromSeconds(20), deadline.Budget);
    }

    [Fact]
    public async Task Work_past_its_deadline_is_cancelled_and_reported_as_LS112()
    {
        using var deadline = ItemDeadline.Start(Limits with { DeadlineCap = TimeSpan.FromSeconds(1) }, 0, default);
        bool cancelled = false;
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<LabelStampException>(() => deadline.RunAsync(async token =>
        {
            try { await Task.Delay(TimeSpan.FromMinutes(5), token); }
            catch (OperationCanceledException) { cancelled = true; throw; }
            return 0;
        }, "slow.mp4"));
        Assert.Equal(ErrorCode.DeadlineExceeded, e.Code);
        Assert.StartsWith("slow.mp4: not finished within its deadline of 1 s", e.Message);
        Assert.True(cancelled, "the work's token was not cancelled");
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Raising_the_budget_after_start_keeps_work_that_needs_it_alive()
    {
        using var deadline = ItemDeadline.Start(Limits with { DeadlineFloor = TimeSpan.FromMilliseconds(300), DeadlinePerMebibyte = TimeSpan.Zero }, 0, default);
        int result = await deadline.RunAsync(async token =>
        {
            deadline.Allow(TimeSpan.FromSeconds(5)); // what a probe does once it knows the frames
            await Task.Delay(TimeSpan.FromMilliseconds(900), token);
            return 42;
        }, "long.mp4");
        Assert.Equal(42, result);
    }

    [Fact]
    public async Task A_caller_that_cancels_gets_cancellation_not_a_deadline_error()
    {
        using var caller = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        using var deadline = ItemDeadline.Start(Limits with { DeadlineFloor = TimeSpan.FromSeconds(10) }, 0, caller.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => deadline.RunAsync(async token =>
        {
            await Task.Delay(TimeSpan.FromMinutes(5), token);
            return 0;
        }, "x"));
        Assert.False(deadline.HasExpired);
    }

    [Fact]
    public async Task An_error_before_the_deadline_is_the_work_s_own()
    {
        using var deadline = ItemDeadline.Start(Limits, 0, default);
        var e = await Assert.ThrowsAsync<LabelStampException>(() => deadline.RunAsync<int>(
            _ => throw new LabelStampException(ErrorCode.CorruptInput, "bad.jpg: corrupt"), "bad.jpg"));
        Assert.Equal(ErrorCode.CorruptInput, e.Code);
    }
}
