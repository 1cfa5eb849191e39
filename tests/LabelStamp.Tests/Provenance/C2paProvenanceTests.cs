using System.Security.Cryptography;
using LabelStamp.Media;
using LabelStamp.Metadata.Xmp;
using LabelStamp.Pipeline;
using LabelStamp.Provenance;

namespace LabelStamp.Tests.Provenance;

/// <summary>
/// End-to-end C2PA checks: our writer's manifests are read back by the independent reader
/// @trustnxt/c2pa-ts (JPEG, PNG, MP3, MP4 — the formats it reads) and by our own reader (all six).
/// </summary>
public sealed class C2paProvenanceTests(C2paFixture fx) : IClassFixture<C2paFixture>
{
    public static TheoryData<string> AllFormats => ["jpeg", "png", "webp", "wav", "mp3", "mp4"];
    public static TheoryData<string> C2paTsFormats => ["jpeg", "png", "mp3", "mp4"];

    private (byte[] Output, string Path, StampContext Ctx) Stamp(string format, string tag = "")
    {
        var f = C2paFixture.Format(format);
        var ctx = fx.Context(f, $"out{tag}.{format}");
        Assert.True(fx.Writer.Handles(f));
        var output = fx.Writer.Write(fx.Input(f), ctx);
        return (output, fx.Save($"out{tag}.{format}", output), ctx);
    }

    [Theory]
    [MemberData(nameof(AllFormats))]
    public void OurReaderFindsAValidAiManifest(string format)
    {
        var (output, _, ctx) = Stamp(format);
        var report = C2paReader.Read(output, ctx.Name);
        Assert.True(report.Valid, report.Summary());
        Assert.Empty(report.Problems);
        Assert.Equal(C2paIds.ClaimV2Label, report.ClaimLabel);
        Assert.Equal(C2paIds.Created, report.Actions[0]);
        Assert.Equal(C2paIds.TrainedAlgorithmicMedia, report.DigitalSourceType);
        Assert.True(report.DeclaresAiGenerated);
        Assert.Equal(format == "mp4" ? C2paIds.BmffHashV3 : C2paIds.DataHash, report.HardBinding);
        Assert.Equal(ctx.MarkId.ToString(), report.SoftBindingMarkId);
        Assert.True(report.MatchesMark(ctx.MarkId));
        Assert.Contains("LabelStamp C2PA Signer", report.Signer);
        Assert.StartsWith("LabelStamp/", report.ClaimGenerator);
        Assert.Contains("\"signatureValid\":true", report.ToJson());
    }

    [Theory]
    [MemberData(nameof(AllFormats))]
    public void TheSameInputSignsToTheSameBytes_AndAnotherIdToAnotherManifest(string format)
    {
        // A replayed message must overwrite its output, not add a second, equivalent one: the nonce
        // (RFC 6979) and the manifest label are derived, never drawn.
        var f = C2paFixture.Format(format);
        byte[] first = fx.Writer.Write(fx.Input(f), fx.Context(f, $"same.{format}"));
        byte[] again = fx.Writer.Write(fx.Input(f), fx.Context(f, $"same.{format}"));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(first)), Convert.ToHexString(SHA256.HashData(again)));
        var other = fx.Writer.Write(fx.Input(f), fx.Context(f, $"same.{format}", contentId: "content-0002"));
        var a = C2paReader.Read(first, "first");
        var b = C2paReader.Read(other, "other");
        Assert.True(a.Valid && b.Valid, a.Summary() + " / " + b.Summary());
        Assert.NotEqual(a.ActiveManifest, b.ActiveManifest);
        Assert.Matches("^urn:c2pa:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", a.ActiveManifest);
    }

    [Theory]
    [MemberData(nameof(C2paTsFormats))]
    public void IndependentReaderReportsTheManifestValid(string format)
    {
        var (_, path, _) = Stamp(format, "-ts");
        var ts = C2paTsResult.Read(path);
        Assert.True(ts.Present, ts.Raw);
        Assert.True(ts.Valid, ts.Raw);
        Assert.Contains("claimSignature.validated", ts.Statuses);
        Assert.Contains(format == "mp4" ? "assertion.bmffHash.match" : "assertion.dataHash.match", ts.Statuses);
        Assert.Contains("LabelStamp C2PA Signer", ts.Signer);
    }

    [Theory]
    [MemberData(nameof(AllFormats))]
    public void FlippingOneMediaByteBreaksTheHardBinding(string format)
    {
        var (output, _, ctx) = Stamp(format, "-flip");
        var tampered = (byte[])output.Clone();
        tampered[MediaByte(tampered, format)] ^= 0x01;
        var report = C2paReader.Read(tampered, ctx.Name);
        Assert.True(report.Present);
        Assert.True(report.SignatureValid, report.Summary());
        Assert.False(report.HardBindingValid, report.Summary());
        Assert.False(report.Valid);
        Assert.Contains(report.Problems, p => p.Contains("Hash.mismatch", StringComparison.Ordinal));
        if (format is "jpeg" or "png" or "mp3" or "mp4")
        {
            var ts = C2paTsResult.Read(fx.Save($"tampered.{format}", tampered));
            Assert.False(ts.Valid, ts.Raw);
            Assert.Contains(ts.Errors, e => e.StartsWith(format == "mp4" ? "assertion.bmffHash.mismatch" : "assertion.dataHash.mismatch", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("jpeg")]
    [InlineData("mp4")]
    public void AManifestSignedByAnotherKeyIsReportedWithItsSigner(string format)
    {
        using var otherCa = fx.Factory.CreateAuthority("Other Test CA");
        using var other = fx.Factory.CreateSigner(otherCa, "Other Generator Signer");
        var f = C2paFixture.Format(format);
        var ctx = fx.Context(f, "other." + format);
        var output = new C2paProvenanceWriter(new C2paOptions(other)).Write(fx.Input(f), ctx);
        var report = C2paReader.Read(output, ctx.Name);
        Assert.True(report.Valid, report.Summary());
        Assert.Contains("CN=Other Generator Signer", report.Signer);
        Assert.Contains("Other Test CA", report.Issuer);
        var ts = C2paTsResult.Read(fx.Save("other." + format, output));
        Assert.True(ts.Valid, ts.Raw);
        Assert.Contains("Other Generator Signer", ts.Signer);
    }

    [Fact]
    public void ASignatureFromTheWrongKeyIsReportedInvalid()
    {
        var (output, _, ctx) = Stamp("png", "-sig");
        // Flip one byte of the ES256 signature: the last bytes of the store's COSE_Sign1 are the signature.
        var png = (byte[])output.Clone();
        var store = new PngManifestContainer().Extract(png, ctx.Name)!;
        int storeAt = png.AsSpan().IndexOf(store);
        png[storeAt + store.Length - 5] ^= 0x40;
        // Fix the chunk CRC is not needed: our reader does not verify PNG CRCs when extracting.
        var report = C2paReader.Read(png, ctx.Name);
        Assert.False(report.SignatureValid, report.Summary());
        Assert.False(report.Valid);
    }

    [Theory]
    [InlineData("jpeg")]
    [InlineData("png")]
    public void AigcXmpAndTheC2paStoreCoexist(string format)
    {
        var f = C2paFixture.Format(format);
        var ctx = fx.Context(f, "xmp." + format, "xmp-content-42");
        byte[] input = fx.Input(f);
        var xmp = XmpPacket.Merge(ImageXmp.Read(input, f, ctx.Name), ctx.Aigc.ToJson());
        byte[] withXmp = ImageXmp.Write(input, f, xmp, ctx.Name);
        byte[] output = fx.Writer.Write(withXmp, ctx);
        string path = fx.Save("xmp." + format, output);

        var (exit, stdout, stderr) = ExternalTools.Run("exiftool", "-j", "-XMP:all", path);
        Assert.True(exit == 0, stderr);
        Assert.Contains("xmp-content-42", stdout);
        Assert.Contains("trainedAlgorithmicMedia", stdout);
        Assert.Contains("xmp-content-42", XmpPacket.Read(ImageXmp.Read(output, f, ctx.Name)!).AigcJson);
        Assert.True(C2paReader.Read(output, ctx.Name).Valid);
        Assert.True(C2paTsResult.Read(path).Valid);
    }

    [Fact]
    public void AnExistingManifestBecomesAnIngredient()
    {
        var (first, _, ctx) = Stamp("jpeg", "-first");
        var second = fx.Writer.Write(first, ctx);
        var report = C2paReader.Read(second, ctx.Name);
        Assert.True(report.Valid, report.Summary());
        Assert.Equal(2, report.Manifests);
        Assert.True(report.Ingredients == 1, report.ToJson());
        Assert.Equal(1, CountC2paStores(second));
    }

    [Theory]
    [InlineData("jpeg")]
    [InlineData("mp4")]
    public void AForeignGeneratorsManifestIsReadAndKeptAsAnIngredient(string format)
    {
        using var foreignCa = fx.Factory.CreateAuthority("Foreign CA");
        using var foreign = fx.Factory.CreateSigner(foreignCa, "Foreign Generator");
        var files = CertificateFactory.WritePem(Path.Combine(fx.Temp, "foreign-keys"), foreignCa, foreign);
        var f = C2paFixture.Format(format);
        fx.Input(f);
        string input = format == "jpeg" ? C2paFixture.Sample("storm.jpg") : Path.Combine(fx.Temp, "in.mp4");
        string signedPath = Path.Combine(fx.Temp, "foreign." + (format == "jpeg" ? "jpg" : "mp4"));
        var (exit, _, err) = ExternalTools.Run("node",
            Path.Combine(ExternalTools.RepoRoot(), "tests", "c2pa-reader", "sign.mjs"), input, signedPath, files[1], files[2]);
        Assert.True(exit == 0, err);
        var signed = File.ReadAllBytes(signedPath);

        var report = C2paReader.Read(signed, signedPath);
        Assert.True(report.Valid, report.Summary());
        Assert.StartsWith("c2pa-ts", report.ClaimGenerator);
        Assert.Equal(C2paIds.Created, report.Actions[0]);
        Assert.True(report.DeclaresAiGenerated);
        Assert.Contains("CN=Foreign Generator", report.Signer);
        Assert.Null(report.SoftBindingMarkId);

        var ctx = fx.Context(f, "foreign-restamped." + format);
        var restamped = fx.Writer.Write(signed, ctx);
        var ours = C2paReader.Read(restamped, ctx.Name);
        Assert.True(ours.Valid, ours.Summary());
        Assert.Equal(2, ours.Manifests);
        Assert.Equal(1, ours.Ingredients);
        Assert.Contains("LabelStamp C2PA Signer", ours.Signer);
        var ts = C2paTsResult.Read(fx.Save("foreign-restamped." + format, restamped));
        Assert.True(ts.Valid, ts.Raw);
    }

    [Theory]
    [InlineData("mp4", "")]
    [InlineData("mp4", "faststart")]
    [InlineData("m4a", "")]
    public void BmffSamplesStillDecodeIdenticallyAfterTheUuidBoxMovesThem(string kind, string flags)
    {
        // ffmpeg's default puts moov after mdat; +faststart puts it first; an .m4a (brand "M4A ") has audio only.
        string inPath = Path.Combine(fx.Temp, $"decode-{kind}{flags}.{kind}");
        string[] source = kind == "m4a"
            ? ["-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", "-f", "ipod"]
            : ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=1", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-f", "mp4"];
        ExternalTools.Ffmpeg([.. source, .. flags.Length > 0 ? new[] { "-movflags", "+" + flags } : [], inPath]);
        var input = File.ReadAllBytes(inPath);
        var ctx = fx.Context(MediaFormat.Mp4, Path.GetFileName(inPath));
        var output = fx.Writer.Write(input, ctx);
        string outPath = fx.Save("signed-" + Path.GetFileName(inPath), output);
        var (e1, md5In, err1) = ExternalTools.Run("ffmpeg", "-hide_banner", "-v", "error", "-i", inPath, "-map", "0", "-f", "framemd5", "-");
        var (e2, md5Out, err2) = ExternalTools.Run("ffmpeg", "-hide_banner", "-v", "error", "-i", outPath, "-map", "0", "-f", "framemd5", "-");
        Assert.True(e1 == 0 && e2 == 0, err1 + err2);
        Assert.Equal("", err2.Trim());
        Assert.Equal(md5In, md5Out);
        Assert.True(C2paReader.Read(output, ctx.Name).Valid);
        var ts = C2paTsResult.Read(outPath);
        Assert.True(ts.Valid, ts.Raw);
    }

    [Fact]
    public void ACorruptManifestStoreIsReportedNotThrown()
    {
        var (output, _, ctx) = Stamp("wav", "-corrupt");
        var riff = global::LabelStamp.Metadata.Containers.RiffFile.Parse(output, ctx.Name);
        int i = riff.IndexOf(RiffManifestContainer.ChunkId);
        var store = riff.Chunks[i].Data.ToArray();
        riff.Chunks[i] = new global::LabelStamp.Metadata.Containers.RiffChunk(RiffManifestContainer.ChunkId, store[..(store.Length / 2)]);
        var report = C2paReader.Read(riff.ToArray(), ctx.Name);
        Assert.True(report.Present);
        Assert.False(report.Valid);
        Assert.Contains(report.Problems, p => p.StartsWith("claim.malformed", StringComparison.Ordinal) && p.Contains(ctx.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void TheVerifyRowSaysValidAiGeneratedAndWhetherTheMarkMatches()
    {
        var (output, _, ctx) = Stamp("jpeg", "-row");
        var row = global::LabelStamp.Verification.C2paFinding.From(output, ctx.Name, ctx.MarkId);
        Assert.Equal(global::LabelStamp.Verification.LayerState.Found, row.State);
        Assert.Contains("valid, AI-generated", row.Summary);
        Assert.Contains("(matches watermark)", row.Summary);
        Assert.Equal("true", row.Details!["softBindingMatchesWatermark"]);
        var other = global::LabelStamp.Verification.C2paFinding.From(output, ctx.Name, new global::LabelStamp.Labels.MarkId(ctx.MarkId.Value ^ 1));
        Assert.Contains("DIFFERS", other.Summary);
        var tampered = (byte[])output.Clone();
        tampered[MediaByte(tampered, "jpeg")] ^= 0x01;
        Assert.Equal(global::LabelStamp.Verification.LayerState.Invalid, global::LabelStamp.Verification.C2paFinding.From(tampered, ctx.Name, null).State);
        Assert.Equal(global::LabelStamp.Verification.LayerState.NotFound, global::LabelStamp.Verification.C2paFinding.From(fx.Input(MediaFormat.Jpeg), "plain.jpg", null).State);
    }

    [Fact]
    public void OtherFormatsAreNotHandled()
    {
        Assert.False(fx.Writer.Handles(MediaFormat.Flac));
        Assert.Equal(C2paReport.Absent, C2paReader.Read(fx.Input(MediaFormat.Png), "plain.png"));
    }

    /// <summary>APP11 JUMBF packets with sequence number 1: one per embedded JUMBF box instance.</summary>
    private static int CountC2paStores(byte[] jpeg) =>
        global::LabelStamp.Metadata.Containers.JpegFile.Parse(jpeg, "count.jpg").Segments.Count(s =>
            s.Marker == global::LabelStamp.Metadata.Containers.JpegSegment.App11 && s.Payload.Span.StartsWith("JP"u8)
            && System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(s.Payload.Span[4..]) == 1);

    /// <summary>A byte inside the coded image or audio data, never in the manifest store.</summary>
    private static int MediaByte(byte[] file, string format)
    {
        var s = file.AsSpan();
        return format switch
        {
            "jpeg" => s.LastIndexOf(new byte[] { 0xFF, 0xD9 }) - 64,
            "png" => s.IndexOf("IDAT"u8) + 40,
            "webp" => s.IndexOf("VP8 "u8) is var v and >= 0 ? v + 40 : s.IndexOf("VP8L"u8) + 40,
            "wav" => s.IndexOf("data"u8) + 100,
            "mp3" => file.Length - 100,
            "mp4" => s.IndexOf("mdat"u8) + 200,
            _ => throw new ArgumentException(format),
        };
    }
}
