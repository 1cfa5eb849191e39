using System.Security.Cryptography;
using System.Text;
using Confluent.Kafka;
using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Pipeline;
using LabelStamp.Platform;
using LabelStamp.Worker.Configuration;
using LabelStamp.Worker.Contract;
using LabelStamp.Worker.Metrics;
using LabelStamp.Worker.Processing;
using LabelStamp.Worker.Store;
using LabelStamp.Worker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LabelStamp.Worker.Tests;

/// <summary>
/// The message contract of platform mode (spec §8, docs/platform.md) with the real propagator on a real
/// JPEG: the case and evidence headers, the AIGC record, the L1 waiver flag, and bad headers dead-lettered.
/// </summary>
public sealed class PlatformMessageTests : IDisposable
{
    private static readonly MarkKey Key = MarkKey.FromText(new string('b', 64), "test");
    private static readonly MediaCatalog Catalog = new();
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ls-platform-test-" + Guid.NewGuid().ToString("N")[..8]);

    private MessageLabeler Create()
    {
        var options = new WorkerOptions { BootstrapServers = "x", WorkerId = "w-test", Mode = WorkerMode.Platform, Propagator = "PLAT9" }.Validate();
        var propagator = Catalog.CreatePropagator(Key, options.PlatformOptions(new LabelPolicy()));
        var store = new FileClaimCheckStore(_dir);
        return new MessageLabeler(Catalog.CreateStamper(Key), new LabelPolicy(), options, new ReferenceResolver(store, null), store,
            new WorkerMetrics(), NullLogger.Instance, propagator);
    }

    private static ConsumeResult<byte[]?, byte[]?> Input(string id, byte[] value, params (string, string)[] headers)
    {
        var hs = new Headers { { KafkaHeaders.SpecVersion, "1.0"u8.ToArray() }, { KafkaHeaders.Type, Encoding.UTF8.GetBytes(KafkaHeaders.GeneratedType) } };
        foreach (var (k, v) in headers) hs.Add(k, Encoding.UTF8.GetBytes(v));
        return new ConsumeResult<byte[]?, byte[]?>
        {
            TopicPartitionOffset = new TopicPartitionOffset("labelstamp.generated", 0, 5),
            Message = new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(id), Value = value, Headers = hs },
        };
    }

    private static string H(Message<byte[]?, byte[]?> m, string name) => MessageLabeler.Header(m, name) ?? "(none)";

    [Fact]
    public async Task Declared_upload_gets_label_2_and_the_event_says_so_plain_upload_passes_through()
    {
        byte[] jpeg = File.ReadAllBytes(Path.Combine(PipelineRig.SamplesDirectory, "images", "ladybird.jpg"));
        var labeler = Create();

        var declared = await labeler.LabelAsync(Input("up-1", jpeg, (KafkaHeaders.DeclaredAi, "true")), CancellationToken.None);
        Assert.False(declared.IsDeadLetter, H(declared.Message, KafkaHeaders.Error));
        var m = declared.Message;
        Assert.Equal("declared", H(m, KafkaHeaders.PlatformResult));
        Assert.Equal("none", H(m, KafkaHeaders.PlatformEvidence));
        Assert.Equal("possibly", H(m, KafkaHeaders.PlatformNotice));
        Assert.Equal("platform", H(m, KafkaHeaders.Mode));
        Assert.Equal("explicit,metadata", H(m, KafkaHeaders.Layers));
        Assert.Equal("false", H(m, KafkaHeaders.ExplicitWaived));
        var record = new AigcLabel("2", "", "", contentPropagator: "PLAT9", propagateId: "up-1");
        Assert.Equal((record with { ReservedCode2 = PropagationSignature.Create(Key, record) }).ToJson(), H(m, KafkaHeaders.Aigc));
        Assert.Equal("image/jpeg", H(m, KafkaHeaders.ContentType));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(m.Value!)), H(m, KafkaHeaders.Sha256));
        Assert.NotEqual(jpeg, m.Value);

        var plain = await labeler.LabelAsync(Input("up-2", jpeg), CancellationToken.None);
        Assert.Equal("none", H(plain.Message, KafkaHeaders.PlatformResult));
        Assert.Equal("(none)", H(plain.Message, KafkaHeaders.Aigc));
        Assert.Equal(jpeg, plain.Message.Value);
    }

    [Fact]
    public async Task Bad_declaration_or_an_uploader_policy_is_dead_lettered_with_the_original()
    {
        byte[] jpeg = File.ReadAllBytes(Path.Combine(PipelineRig.SamplesDirectory, "images", "ladybird.jpg"));
        var labeler = Create();
        var bad = await labeler.LabelAsync(Input("up-3", jpeg, (KafkaHeaders.DeclaredAi, "yes")), CancellationToken.None);
        Assert.True(bad.IsDeadLetter);
        Assert.Equal("LS703", H(bad.Message, KafkaHeaders.ErrorCode));
        Assert.Equal(jpeg, bad.Message.Value);
        var policy = await labeler.LabelAsync(Input("up-4", jpeg, (KafkaHeaders.Policy, "metadata")), CancellationToken.None);
        Assert.Equal("LS703", H(policy.Message, KafkaHeaders.ErrorCode));
    }

    [Fact]
    public void Platform_mode_is_validated_at_start()
    {
        var e = Assert.Throws<LabelStampException>(() => new WorkerOptions { BootstrapServers = "x", Mode = WorkerMode.Platform }.Validate());
        Assert.Contains("Propagator", e.Message);
        Assert.Throws<LabelStampException>(() => new WorkerOptions { BootstrapServers = "x", Mode = WorkerMode.Platform, Propagator = "P", SuspectedWording = "疑似" }.Validate());
        Assert.Throws<LabelStampException>(() => new MessageLabeler(Catalog.CreateStamper(Key), new LabelPolicy(),
            new WorkerOptions { BootstrapServers = "x", Mode = WorkerMode.Platform, Propagator = "P" }, new ReferenceResolver(null, null), null,
            new WorkerMetrics(), NullLogger.Instance));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
