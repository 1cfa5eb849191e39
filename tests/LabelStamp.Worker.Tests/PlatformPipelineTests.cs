using LabelStamp.Cli.Demo;
using LabelStamp.Labels;
using LabelStamp.Pipeline;
using LabelStamp.Provenance;
using LabelStamp.Worker.Contract;
using LabelStamp.Worker.Tests.Support;

namespace LabelStamp.Worker.Tests;

/// <summary>
/// A platform worker process (`Worker:Mode = Platform`, C2PA on) over the embedded broker: a provider-labeled
/// JPEG with C2PA is kept and gains a publication manifest, an unlabeled upload declared AI gets Label "2",
/// an unlabeled undeclared one passes through byte for byte — one event each, with the platform headers.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class PlatformPipelineTests
{
    private const string Platform = "PLATW1";

    [Fact]
    public async Task Platform_worker_keeps_declares_and_passes_through_over_the_broker()
    {
        using var rig = new PipelineRig(inputPartitions: 2);
        byte[] jpeg = File.ReadAllBytes(Path.Combine(PipelineRig.SamplesDirectory, "images", "ladybird.jpg"));
        var factory = new CertificateFactory();
        var provider = new MediaCatalog().CreateStamper(rig.Key, provenance: new C2paProvenanceWriter(new C2paOptions(factory.CreateSigner(factory.CreateAuthority()))));
        var stamped = await provider.StampAsync(jpeg, "gen.jpg", new StampRequest("gen-1", "LabelStampTest", new LabelPolicy()));
        var inputs = new List<SampleInput>
        {
            new("pk-1", "kept.jpg", stamped.Output),
            new("pd-1", "declared.jpg", jpeg) { Headers = new Dictionary<string, string> { [KafkaHeaders.DeclaredAi] = "true" } },
            new("pn-1", "plain.jpg", jpeg),
        };
        rig.StartWorker("platform", parallelism: 2, c2pa: true, settings: new Dictionary<string, string>
        {
            ["LABELSTAMP__Worker__Mode"] = "Platform",
            ["LABELSTAMP__Worker__Propagator"] = Platform,
        });
        await rig.PublishAsync(inputs);
        using var collector = rig.Collector();
        Assert.True(collector.CollectUntil(inputs.Select(i => i.ContentId).ToHashSet(), PipelineRig.Patience), rig.Logs());
        Assert.DoesNotContain(collector.Records, r => r.IsDeadLetter);

        var kept = Single(collector, "pk-1");
        Assert.Equal("platform", kept.Header(KafkaHeaders.Mode));
        Assert.Equal("kept", kept.Header(KafkaHeaders.PlatformResult));
        Assert.Equal("generated", kept.Header(KafkaHeaders.PlatformNotice));
        Assert.Equal("metadata,c2pa", kept.Header(KafkaHeaders.Layers));
        Assert.Equal(stamped.MarkId.ToString(), kept.Header(KafkaHeaders.MarkId));
        var record = AigcLabel.Parse(kept.Header(KafkaHeaders.Aigc)!);
        Assert.Equal((Platform, "pk-1"), (record.ContentPropagator, record.PropagateID));
        Assert.Equal(AigcSignatureStatus.Valid, PropagationSignature.Check(rig.Key, record).Status);
        Assert.Equal(AigcSignatureStatus.Valid, AigcSignature.Check(rig.Key, record).Status);
        var c2pa = C2paReader.Read(await Bytes(rig, kept), "pk-1.jpg");
        Assert.True(c2pa.Valid, string.Join("; ", c2pa.Problems));
        Assert.Equal([C2paIds.Opened, C2paIds.EditedMetadata, C2paIds.Published], c2pa.Actions);
        Assert.True(c2pa.DeclaresAiGenerated);

        var declared = Single(collector, "pd-1");
        Assert.Equal("declared", declared.Header(KafkaHeaders.PlatformResult));
        Assert.Equal("possibly", declared.Header(KafkaHeaders.PlatformNotice));
        Assert.Equal("2", AigcLabel.Parse(declared.Header(KafkaHeaders.Aigc)!).Label);
        Assert.NotEqual(jpeg, await Bytes(rig, declared));

        var none = Single(collector, "pn-1");
        Assert.Equal("none", none.Header(KafkaHeaders.PlatformResult));
        Assert.Equal(jpeg, await Bytes(rig, none));
    }

    private static ReceivedRecord Single(OutputCollector collector, string contentId) =>
        Assert.Single(collector.Records, r => r.ContentId == contentId && !r.IsDeadLetter);

    /// <summary>The published bytes: inline, or from the store by reference (large outputs).</summary>
    private static async Task<byte[]> Bytes(PipelineRig rig, ReceivedRecord record) =>
        record.Header(KafkaHeaders.Reference) is { } reference
            ? await rig.Store.ReadAsync(new Uri(reference), 1L << 30, CancellationToken.None)
            : record.Value;
}
