using System.Security.Cryptography;
using System.Text;
using Confluent.Kafka;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Pipeline;
using LabelStamp.Worker.Configuration;
using LabelStamp.Worker.Contract;
using LabelStamp.Worker.Metrics;
using LabelStamp.Worker.Processing;
using LabelStamp.Worker.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace LabelStamp.Worker.Tests;

/// <summary>The message contract of spec §7 around a stand-in labeler (the real media paths are tested end to end).</summary>
public sealed class MessageLabelerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ls-labeler-test-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Test double: "labels" a JPEG by appending a byte, deterministically.</summary>
    private sealed class AppendingLabeler : IMediaLabeler
    {
        public bool Handles(MediaFormat format) => format == MediaFormat.Jpeg;

        public Task<(byte[] Output, Layers Applied)> LabelAsync(ReadOnlyMemory<byte> input, StampContext context, CancellationToken cancellationToken)
        {
            context.Timings.Add("explicit", 1.5);
            byte[] output = [.. input.Span, 0x42];
            return Task.FromResult((output, Layers.Explicit));
        }
    }

    private MessageLabeler Create(int inlineLimit = 1 << 20) =>
        new(new Stamper(MarkKey.FromText(new string('a', 64), "test"), [new AppendingLabeler()]), new LabelPolicy(),
            new WorkerOptions { BootstrapServers = "x", DefaultProducer = "Prod", WorkerId = "w-test", InlineLimitBytes = inlineLimit },
            new ReferenceResolver(new FileClaimCheckStore(_dir), null), new FileClaimCheckStore(_dir), new WorkerMetrics(), NullLogger.Instance);

    private static ConsumeResult<byte[]?, byte[]?> Input(string id, byte[] value, params (string, string)[] headers)
    {
        var hs = new Headers { { KafkaHeaders.SpecVersion, "1.0"u8.ToArray() }, { KafkaHeaders.Type, Encoding.UTF8.GetBytes(KafkaHeaders.GeneratedType) } };
        foreach (var (k, v) in headers) hs.Add(k, Encoding.UTF8.GetBytes(v));
        return new ConsumeResult<byte[]?, byte[]?>
        {
            TopicPartitionOffset = new TopicPartitionOffset("labelstamp.generated", 3, 77),
            Message = new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(id), Value = value, Headers = hs },
        };
    }

    private static string H(Message<byte[]?, byte[]?> m, string name) => MessageLabeler.Header(m, name) ?? "(none)";

    [Fact]
    public async Task Labeled_CarriesTheContractHeaders_AndIsDeterministic()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
        var labeler = Create();
        var a = await labeler.LabelAsync(Input("c-1", jpeg), CancellationToken.None);
        var b = await labeler.LabelAsync(Input("c-1", jpeg), CancellationToken.None);
        Assert.False(a.IsDeadLetter);
        Assert.Equal("labelstamp.labeled", a.Topic);
        var m = a.Message;
        Assert.Equal(KafkaHeaders.LabeledType, H(m, KafkaHeaders.Type));
        Assert.Equal("image/jpeg", H(m, KafkaHeaders.ContentType));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(m.Value!)), H(m, KafkaHeaders.Sha256));
        Assert.Equal("explicit", H(m, KafkaHeaders.Layers));
        var aigc = AigcLabel.Parse(H(m, KafkaHeaders.Aigc));
        Assert.Equal(("1", "Prod", "c-1"), (aigc.Label, aigc.ContentProducer, aigc.ProduceID));
        Assert.Equal(m.Value, b.Message.Value);
        Assert.Equal(H(m, KafkaHeaders.MarkId), H(b.Message, KafkaHeaders.MarkId));
    }

    [Fact]
    public async Task LargeOutput_GoesToTheStoreAsReference_UnderTheSameNameOnReplay()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, .. new byte[100]];
        var labeler = Create(inlineLimit: 50);
        var a = await labeler.LabelAsync(Input("big-1", jpeg), CancellationToken.None);
        var b = await labeler.LabelAsync(Input("big-1", jpeg), CancellationToken.None);
        Assert.Empty(a.Message.Value!);
        Assert.Equal(H(a.Message, KafkaHeaders.Reference), H(b.Message, KafkaHeaders.Reference));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Theory]
    [InlineData("not media at all", null, "LS103")]
    [InlineData("", null, "LS100")]
    [InlineData("#EXTM3U\n#EXT-X-VERSION:3\n", null, "LS108")]
    [InlineData("jpeg", "image/png", "LS104")]
    public async Task BadInput_BecomesADeadLetter_WithTheOriginalMessageUnchanged(string body, string? declared, string code)
    {
        byte[] value = body == "jpeg" ? [0xFF, 0xD8, 0xFF, 0xE0] : Encoding.UTF8.GetBytes(body);
        var input = declared is null ? Input("bad-1", value, ("x-custom", "kept")) : Input("bad-1", value, ("x-custom", "kept"), (KafkaHeaders.ContentType, declared));
        var outcome = await Create().LabelAsync(input, CancellationToken.None);
        Assert.True(outcome.IsDeadLetter);
        Assert.Equal("labelstamp.dlq", outcome.Topic);
        var m = outcome.Message;
        Assert.Equal(value, m.Value);
        Assert.Equal("bad-1"u8.ToArray(), m.Key);
        Assert.Equal("kept", H(m, "x-custom"));
        Assert.Equal(code, H(m, KafkaHeaders.ErrorCode));
        Assert.Equal(("labelstamp.generated", "3", "77", "w-test"), (H(m, KafkaHeaders.SourceTopic), H(m, KafkaHeaders.SourcePartition), H(m, KafkaHeaders.SourceOffset), H(m, KafkaHeaders.Worker)));
        Assert.DoesNotContain(body.Length > 3 ? body : "\u0000", H(m, KafkaHeaders.Error)); // no user data in the reason
    }

    [Fact]
    public async Task WrongEventType_AndReferencesOutsideTheStore_AreContractErrors()
    {
        var wrongType = Input("t-1", [0xFF, 0xD8, 0xFF]);
        wrongType.Message.Headers.Remove(KafkaHeaders.Type);
        wrongType.Message.Headers.Add(KafkaHeaders.Type, "com.example.other"u8.ToArray());
        Assert.Equal("LS703", H((await Create().LabelAsync(wrongType, CancellationToken.None)).Message, KafkaHeaders.ErrorCode));

        var escape = Input("t-2", [], (KafkaHeaders.Reference, "file:///etc/passwd"));
        Assert.Equal("LS701", H((await Create().LabelAsync(escape, CancellationToken.None)).Message, KafkaHeaders.ErrorCode));
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (DirectoryNotFoundException) { }
    }

    /// <summary>Issue 21: an input that already carries an AIGC record (Label 1) is dead-lettered with
    /// LS211 (AlreadyLabeled) by the real image path, unless Worker:Restamp is set.</summary>
    [Fact]
    public async Task Already_labeled_input_is_dead_lettered_with_LS211_unless_Restamp()
    {
        var key = MarkKey.FromText(new string('a', 64), "test");
        var stamper = new MediaCatalog().CreateStamper(key);
        byte[] original = File.ReadAllBytes(Path.Combine(Support.PipelineRig.SamplesDirectory, "images", "ladybird.jpg"));
        var metadataOnly = new LabelPolicy { Layers = Layers.Metadata, ExplicitWaivedByAgreement = true };
        byte[] labeled = (await stamper.StampAsync(original, "first", new StampRequest("first-id", "Prod", metadataOnly))).Output;

        MessageLabeler Worker(bool restamp) => new(stamper, metadataOnly,
            new WorkerOptions { BootstrapServers = "x", DefaultProducer = "Prod", WorkerId = "w-test", Restamp = restamp },
            new ReferenceResolver(new FileClaimCheckStore(_dir), null), new FileClaimCheckStore(_dir), new WorkerMetrics(), NullLogger.Instance);

        var refused = await Worker(restamp: false).LabelAsync(Input("again-1", labeled), CancellationToken.None);
        Assert.True(refused.IsDeadLetter);
        Assert.Equal("LS211", H(refused.Message, KafkaHeaders.ErrorCode));
        Assert.Equal(labeled, refused.Message.Value); // the original message, unchanged

        var relabeled = await Worker(restamp: true).LabelAsync(Input("again-2", labeled), CancellationToken.None);
        Assert.False(relabeled.IsDeadLetter);
        Assert.Contains("\"ProduceID\":\"again-2\"", H(relabeled.Message, KafkaHeaders.Aigc));
    }
}
