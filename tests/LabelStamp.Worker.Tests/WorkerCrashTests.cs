using LabelStamp.Cli.Demo;
using LabelStamp.Worker.Tests.Support;
using Xunit.Abstractions;

namespace LabelStamp.Worker.Tests;

/// <summary>Spec §7 delivery: no input lost when a worker process is killed with SIGKILL mid-stream and restarted, and
/// every replayed output byte-identical to the first, C2PA manifest included (the workers start at once and share
/// one development chain, made by whichever starts first).</summary>
[Collection(IntegrationCollection.Name)]
public sealed class WorkerCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KillNineMidBatchThenRestart_EveryInputAccountedFor_DuplicatesIdentical()
    {
        using var rig = new PipelineRig(inputPartitions: 4);
        var first = PipelineRig.Samples("a", 2);
        first.AddRange(SampleSet.Hostile(File.ReadAllBytes(Path.Combine(PipelineRig.SamplesDirectory, "images", "ladybird.jpg"))));
        var second = PipelineRig.Samples("b", 2);
        var all = first.Concat(second).ToList();
        var expectedIds = all.Where(i => !i.OmitContentId).Select(i => i.ContentId).ToHashSet();

        var victim = rig.StartWorker("victim", c2pa: true);
        var survivor = rig.StartWorker("survivor", c2pa: true);
        await rig.PublishAsync(first);
        using var collector = rig.Collector();

        // Kill once the victim has demonstrably been working (some outputs exist), while items are still queued.
        bool someDone = collector.CollectUntil(first.Take(3).Select(i => i.ContentId).ToHashSet(), PipelineRig.Patience);
        Assert.True(someDone, "workers produced nothing before the kill\n" + rig.Logs());
        victim.Kill();
        Assert.True(victim.HasExited);
        await rig.PublishAsync(second);
        var restarted = rig.StartWorker("victim-restarted", c2pa: true);

        bool complete = collector.CollectUntil(expectedIds, PipelineRig.Patience);
        collector.Drain(TimeSpan.FromSeconds(2));
        var problems = await rig.AuditAsync(all, collector);
        output.WriteLine($"{collector.Records.Count} records for {expectedIds.Count} inputs ({collector.Records.Count - collector.Accounted.Count} duplicates)");
        Assert.True(complete, $"unaccounted: {string.Join(", ", expectedIds.Except(collector.Accounted))}\n{rig.Logs()}");
        Assert.Empty(problems);
        Assert.Contains(collector.Records, r => r.IsDeadLetter && r.ContentId.Length == 0); // the input without an ID too
        Assert.False(survivor.HasExited, "hostile input stopped a worker\n" + rig.Logs());
        Assert.False(restarted.HasExited, "restarted worker died\n" + rig.Logs());
    }
}
