using LabelStamp.Labels;
using LabelStamp.Platform;
using LabelStamp.Provenance;
using LabelStamp.Tests.Provenance;
using LabelStamp.Tests.Video;
using LabelStamp.TestSupport;
using LabelStamp.Verification;

namespace LabelStamp.Tests.Platform;

/// <summary>
/// Platform mode on video (spec §8): a provider-labeled MP4 keeps its frames and audio packets (stream
/// copy), gains the propagation fields and a publication manifest over the provider's; an unlabeled
/// upload the uploader declared gets Label "2" and the visible "可能为AI生成" notice in its frames.
/// </summary>
[Collection(VideoCollection.Name)]
public class PlatformVideoTests(VideoFixture fx)
{
    private const string Platform = "PLATFORMV01";

    [Fact]
    public async Task Labeled_mp4_is_kept_by_stream_copy_with_the_provider_manifest_as_parent()
    {
        var factory = new CertificateFactory();
        var writer = new C2paProvenanceWriter(new C2paOptions(factory.CreateSigner(factory.CreateAuthority())));
        var propagator = fx.Catalog.CreatePropagator(VideoFixture.Key, new PlatformOptions { Propagator = Platform }, provenance: writer);

        var outcome = await propagator.PropagateAsync(File.ReadAllBytes(fx.Labeled), "up.mp4", new PlatformRequest("plat-v1", DeclaredAi: false));

        Assert.Equal(PlatformResult.Kept, outcome.Result);
        Assert.Equal(PlatformEvidence.AigcLabel | PlatformEvidence.Watermark | PlatformEvidence.Explicit
                     | PlatformEvidence.C2paManifest | PlatformEvidence.C2paAiGenerated, outcome.Evidence);
        Assert.Equal(Layers.Metadata | Layers.Provenance, outcome.Applied);
        Assert.Equal(fx.Result.MarkId, outcome.MarkId);
        string path = Path.Combine(fx.Temp, "platform-kept.mp4");
        File.WriteAllBytes(path, outcome.Output);

        var tags = VideoFixture.Probe(path).GetProperty("format").GetProperty("tags");
        var record = AigcLabel.Parse(tags.GetProperty("AIGC").GetString()!);
        var expected = fx.Result.Aigc with { ContentPropagator = Platform, PropagateID = "plat-v1" };
        Assert.Equal(expected with { ReservedCode2 = PropagationSignature.Create(VideoFixture.Key, expected) }, record);
        // Stream copy: every video and audio packet is the provider's, so its labels and marks are untouched.
        Assert.Equal(PacketMd5(fx.Labeled, "v"), PacketMd5(path, "v"));
        Assert.Equal(PacketMd5(fx.Labeled, "a"), PacketMd5(path, "a"));

        var c2pa = C2paReader.Read(outcome.Output, "up.mp4");
        Assert.True(c2pa.Valid, string.Join("; ", c2pa.Problems));
        Assert.Equal(2, c2pa.Manifests);
        Assert.Equal([C2paIds.Opened, C2paIds.EditedMetadata, C2paIds.Published], c2pa.Actions);
        Assert.Equal(C2paIds.TrainedAlgorithmicMedia, c2pa.DigitalSourceType);
        Assert.Equal(fx.Result.MarkId.ToString(), c2pa.SoftBindingMarkId);
        var independent = C2paTsResult.Read(path);
        Assert.True(independent.Valid, independent.Raw);
        Assert.Contains("assertion.bmffHash.match", independent.Statuses);
    }

    [Fact]
    public async Task Unlabeled_mp4_declared_by_the_uploader_gets_label_2_and_the_visible_notice()
    {
        var propagator = fx.Catalog.CreatePropagator(VideoFixture.Key, new PlatformOptions { Propagator = Platform });

        var outcome = await propagator.PropagateAsync(File.ReadAllBytes(fx.Sample), "up.mp4", new PlatformRequest("plat-v2", DeclaredAi: true));

        Assert.Equal(PlatformResult.Declared, outcome.Result);
        Assert.Equal(PlatformEvidence.None, outcome.Evidence);
        Assert.Equal(Layers.Explicit | Layers.Metadata, outcome.Applied);
        string path = Path.Combine(fx.Temp, "platform-declared.mp4");
        File.WriteAllBytes(path, outcome.Output);
        var report = await fx.Catalog.CreateVerifier().VerifyAsync(outcome.Output, "declared.mp4", new VerifyOptions
        {
            Key = VideoFixture.Key,
            Wordings = [.. LabelWording.Known, new(PlatformOptions.DefaultPossiblyWording)],
        });
        Assert.Equal(LayerState.Found, report.Explicit.State);
        Assert.Contains(PlatformOptions.DefaultPossiblyWording, report.Explicit.Summary);
        Assert.Equal("2", report.Metadata.Details!["Label"]);
        Assert.Equal(Platform, report.Metadata.Details["ContentPropagator"]);
        Assert.Equal("valid", report.Metadata.Details["propagationSignature"]);
        Assert.Equal(LayerState.NotFound, report.Watermark.State); // a platform never adds a provider's watermark
        Assert.Equal(VideoFrames(fx.Sample), VideoFrames(path));
    }

    private static string? VideoFrames(string path) =>
        VideoFixture.Probe(path, countFrames: true).GetProperty("streams").EnumerateArray()
            .First(s => s.GetProperty("codec_type").GetString() == "video").GetProperty("nb_read_frames").GetString();

    /// <summary>MD5 over the compressed packets of the first stream of a kind, as stored (no decode).</summary>
    private static string PacketMd5(string path, string kind)
    {
        var (exit, stdout, err) = ExternalTool.Run("ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-map", $"0:{kind}:0", "-c", "copy", "-f", "md5", "-"]);
        Assert.True(exit == 0, err);
        return stdout.Trim();
    }
}
