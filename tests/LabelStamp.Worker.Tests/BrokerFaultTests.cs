using LabelStamp.Worker.Tests.Support;
using Xunit.Abstractions;

namespace LabelStamp.Worker.Tests;

/// <summary>Spec §7 delivery under broker faults, injected through librdkafka's mock cluster API.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class BrokerFaultTests(ITestOutputHelper output)
{
    private const short Produce = 0, Fetch = 1, OffsetCommit = 8;
    private const int NotLeaderForPartition = 6, RequestTimedOut = 7, CoordinatorNotAvailable = 15, NotEnoughReplicas = 19;

    [Fact]
    public async Task BrokerDownAndUp_WorkersRecover_EveryInputAccountedFor()
    {
        using var rig = new PipelineRig(inputPartitions: 2);
        var first = PipelineRig.Samples("down1", 1);
        var second = PipelineRig.Samples("down2", 2);
        var all = first.Concat(second).ToList();
        rig.StartWorker("w1");
        rig.StartWorker("w2");
        await rig.PublishAsync(first);
        using var collector = rig.Collector();
        Assert.True(collector.CollectUntil(new HashSet<string> { first[0].ContentId }, PipelineRig.Patience), "no progress before the fault\n" + rig.Logs());

        await rig.PublishAsync(second);
        rig.Broker.SetBrokerDown(1);
        await Task.Delay(TimeSpan.FromSeconds(4));
        rig.Broker.SetBrokerUp(1);

        bool complete = collector.CollectUntil(all.Select(i => i.ContentId).ToHashSet(), PipelineRig.Patience);
        collector.Drain(TimeSpan.FromSeconds(1));
        output.WriteLine($"{collector.Records.Count} records for {all.Count} inputs");
        Assert.True(complete, $"unaccounted: {string.Join(", ", all.Select(i => i.ContentId).Except(collector.Accounted))}\n{rig.Logs()}");
        Assert.Empty(await rig.AuditAsync(all, collector));
    }

    [Fact]
    public async Task TransientRequestErrors_AreRetried_EveryInputAccountedFor()
    {
        using var rig = new PipelineRig(inputPartitions: 2);
        var inputs = PipelineRig.Samples("err", 2).Concat(PipelineRig.Samples("err", 2, "audio")).ToList();
        // One produce request in flight: the mock does not check idempotent sequence numbers (it does only for
        // transactional producers), so with pipelined requests a later batch is accepted after an earlier one
        // failed, and librdkafka then implicitly acknowledges the earlier one, which a real broker guarantees
        // by refusing out-of-order sequences (seen here: "implicitly acked by subsequent batch success" for a
        // message the mock never stored). On a real Kafka the default of 5 is safe.
        var worker = rig.StartWorker("w1", parallelism: 2, maxInFlightRequests: 1);
        // Retriable errors on the worker's produce, fetch and commit requests (and the publisher's first ones).
        rig.Broker.PushRequestErrors(Produce, NotEnoughReplicas, NotLeaderForPartition, RequestTimedOut, NotEnoughReplicas, NotEnoughReplicas);
        rig.Broker.PushRequestErrors(Fetch, NotLeaderForPartition, NotLeaderForPartition, NotLeaderForPartition);
        rig.Broker.PushRequestErrors(OffsetCommit, CoordinatorNotAvailable, CoordinatorNotAvailable);
        await rig.PublishAsync(inputs);
        rig.Broker.PushRequestErrors(Produce, NotEnoughReplicas, NotEnoughReplicas, NotLeaderForPartition);

        using var collector = rig.Collector();
        bool complete = collector.CollectUntil(inputs.Select(i => i.ContentId).ToHashSet(), PipelineRig.Patience);
        collector.Drain(TimeSpan.FromSeconds(1));
        output.WriteLine($"{collector.Records.Count} records for {inputs.Count} inputs");
        Assert.True(complete, $"unaccounted: {string.Join(", ", inputs.Select(i => i.ContentId).Except(collector.Accounted))}\n{rig.Logs()}");
        Assert.Empty(await rig.AuditAsync(inputs, collector));
        Assert.False(worker.HasExited, rig.Logs());
    }
}
