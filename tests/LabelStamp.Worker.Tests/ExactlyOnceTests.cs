using System.Globalization;
using System.Text.RegularExpressions;
using LabelStamp.Cli.Demo;
using LabelStamp.Worker.Configuration;
using LabelStamp.Worker.Tests.Support;
using Xunit.Abstractions;

namespace LabelStamp.Worker.Tests;

/// <summary>
/// Spec §7 Delivery = ExactlyOnce against the embedded broker, whose transaction coordinator speaks the
/// real protocol (InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit, EndTxn). The mock
/// does not hide aborted records from read_committed readers, so after a crash duplicates may be visible
/// here (never on a real Kafka); they must then be identical, as in at-least-once. The mock also
/// acknowledges TxnOffsetCommit without storing the offsets, so the group's committed offsets cannot be
/// read back here; the tests check the positions each committed transaction carried (the worker's log)
/// against the partitions' end offsets instead.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ExactlyOnceTests(ITestOutputHelper output)
{
    private const short Produce = 0, AddPartitionsToTxn = 24, AddOffsetsToTxn = 25, EndTxn = 26, TxnOffsetCommit = 28;
    private const int CoordinatorNotAvailable = 15, NotCoordinator = 16, ConcurrentTransactions = 51, InvalidRecord = 87;

    [Fact]
    public async Task CleanRun_EachInputExactlyOnce_OffsetsCommittedByTheTransactions()
    {
        using var rig = new PipelineRig(inputPartitions: 2);
        var inputs = PipelineRig.Samples("eos", 2);
        inputs.AddRange(SampleSet.Hostile(File.ReadAllBytes(Path.Combine(PipelineRig.SamplesDirectory, "images", "ladybird.jpg"))));
        var expected = inputs.Where(i => !i.OmitContentId).Select(i => i.ContentId).ToHashSet();
        // C2PA on here: no replays are expected, so outputs are compared strictly and each manifest is validated.
        var worker = rig.StartWorker("eos1", parallelism: 2, delivery: DeliveryMode.ExactlyOnce, c2pa: true);
        await rig.PublishAsync(inputs);

        using var collector = rig.Collector();
        bool complete = collector.CollectUntil(expected, PipelineRig.Patience);
        collector.Drain(TimeSpan.FromSeconds(2));
        Assert.True(complete, $"unaccounted: {string.Join(", ", expected.Except(collector.Accounted))}\n{rig.Logs()}");
        Assert.Empty(await rig.AuditAsync(inputs, collector));
        // No fault, no abort: every input exactly once (the input without an ID is one dead letter too).
        Assert.Equal(inputs.Count, collector.Records.Count);
        Assert.All(collector.Records.Where(r => !r.IsDeadLetter), r => Assert.Contains("c2pa", r.Header(Contract.KafkaHeaders.Layers), StringComparison.Ordinal));

        // The transactions carried every partition's offsets up to its end.
        string log = rig.FullLog("eos1");
        Assert.Equal(rig.EndOffsets(2), CommittedPositions(log, 2));
        Assert.Contains("with transactions", log, StringComparison.Ordinal);
        Assert.Contains("committed", log, StringComparison.Ordinal);
        Assert.DoesNotContain("aborted", log, StringComparison.Ordinal);
        Assert.False(worker.HasExited, rig.Logs());
    }

    [Fact]
    public async Task AbortableProduceError_BatchAbortedRewoundAndRelabeled_EveryInputAccounted()
    {
        using var rig = new PipelineRig(inputPartitions: 2);
        var inputs = PipelineRig.Samples("abort", 1);
        await rig.PublishAsync(inputs);
        // A non-retriable produce error fails a message inside the transaction: the transaction must abort.
        rig.Broker.PushRequestErrors(Produce, InvalidRecord);
        var worker = rig.StartWorker("abort1", parallelism: 2, delivery: DeliveryMode.ExactlyOnce);

        using var collector = rig.Collector();
        bool complete = collector.CollectUntil(inputs.Select(i => i.ContentId).ToHashSet(), PipelineRig.Patience);
        collector.Drain(TimeSpan.FromSeconds(1));
        Assert.True(complete, $"unaccounted: {string.Join(", ", inputs.Select(i => i.ContentId).Except(collector.Accounted))}\n{rig.Logs()}");
        Assert.Empty(await rig.AuditAsync(inputs, collector));
        Assert.Contains("aborted", rig.FullLog("abort1"), StringComparison.Ordinal);
        Assert.Equal(rig.EndOffsets(2), CommittedPositions(rig.FullLog("abort1"), 2));
        Assert.False(worker.HasExited, rig.Logs());
    }

    [Fact]
    public async Task CoordinatorErrorsAndKillNineWithRestartUnderTheSameId_EveryInputAccounted_DuplicatesIdentical()
    {
        using var rig = new PipelineRig(inputPartitions: 2);
        var first = PipelineRig.Samples("k1", 2);
        var second = PipelineRig.Samples("k2", 1);
        var all = first.Concat(second).ToList();
        // Retriable coordinator errors on every transactional request type.
        rig.Broker.PushRequestErrors(AddPartitionsToTxn, CoordinatorNotAvailable, ConcurrentTransactions);
        rig.Broker.PushRequestErrors(AddOffsetsToTxn, NotCoordinator);
        rig.Broker.PushRequestErrors(TxnOffsetCommit, CoordinatorNotAvailable);
        rig.Broker.PushRequestErrors(EndTxn, CoordinatorNotAvailable, NotCoordinator);
        var victim = rig.StartWorker("eosk", parallelism: 2, delivery: DeliveryMode.ExactlyOnce);
        await rig.PublishAsync(first);
        using var collector = rig.Collector();
        Assert.True(collector.CollectUntil(first.Take(2).Select(i => i.ContentId).ToHashSet(), PipelineRig.Patience), "nothing committed before the kill\n" + rig.Logs());

        victim.Kill();
        await rig.PublishAsync(second);
        // Same worker ID, so the same transactional.id: InitTransactions fences the dead instance and aborts its open transaction.
        var restarted = rig.StartWorker("eosk", parallelism: 2, delivery: DeliveryMode.ExactlyOnce);

        bool complete = collector.CollectUntil(all.Select(i => i.ContentId).ToHashSet(), PipelineRig.Patience);
        collector.Drain(TimeSpan.FromSeconds(2));
        output.WriteLine($"{collector.Records.Count} records for {all.Count} inputs");
        Assert.True(complete, $"unaccounted: {string.Join(", ", all.Select(i => i.ContentId).Except(collector.Accounted))}\n{rig.Logs()}");
        Assert.Empty(await rig.AuditAsync(all, collector));
        Assert.Equal(rig.EndOffsets(2), CommittedPositions(rig.FullLog("eosk"), 2));
        Assert.False(restarted.HasExited, rig.Logs());
    }

    /// <summary>Per partition, the highest next-offset sent with a committed transaction ("committed N items up to p@o,…").</summary>
    private static List<long> CommittedPositions(string log, int partitions)
    {
        var positions = new long[partitions];
        foreach (Match line in Regex.Matches(log, @"committed \d+ items up to (\S+)"))
            foreach (string pair in line.Groups[1].Value.Split(','))
            {
                var parts = pair.Split('@');
                int partition = int.Parse(parts[0], CultureInfo.InvariantCulture);
                positions[partition] = Math.Max(positions[partition], long.Parse(parts[1], CultureInfo.InvariantCulture));
            }
        return [.. positions];
    }
}
