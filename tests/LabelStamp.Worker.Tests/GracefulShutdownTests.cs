using LabelStamp.Worker.Tests.Support;
using Xunit.Abstractions;

namespace LabelStamp.Worker.Tests;

/// <summary>SIGTERM drains in-flight items, commits what is acknowledged and leaves the group: a successor replays nothing.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class GracefulShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SigtermMidStream_DrainsAndCommits_SuccessorFinishesWithoutDuplicates()
    {
        using var rig = new PipelineRig(inputPartitions: 2);
        var inputs = PipelineRig.Samples("g", 2);
        var first = rig.StartWorker("first", parallelism: 2);
        await rig.PublishAsync(inputs);
        using var collector = rig.Collector();
        Assert.True(collector.CollectUntil(inputs.Take(2).Select(i => i.ContentId).ToHashSet(), PipelineRig.Patience), rig.Logs());

        await first.StopAsync(TimeSpan.FromSeconds(60));
        Assert.True(first.HasExited);
        string log = await File.ReadAllTextAsync(first.LogPath);
        Assert.True(log.Contains("worker first stopped", StringComparison.Ordinal), log);
        rig.StartWorker("second", parallelism: 2);

        bool complete = collector.CollectUntil(inputs.Select(i => i.ContentId).ToHashSet(), PipelineRig.Patience);
        collector.Drain(TimeSpan.FromSeconds(2));
        output.WriteLine($"{collector.Records.Count} records for {inputs.Count} inputs");
        Assert.True(complete, rig.Logs());
        Assert.Empty(await rig.AuditAsync(inputs, collector));
        Assert.Equal(inputs.Count, collector.Records.Count); // nothing replayed: every acknowledged offset was committed
    }
}
