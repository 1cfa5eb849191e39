using LabelStamp.Media;
using LabelStamp.Metadata.Containers;
using LabelStamp.Provenance;

namespace LabelStamp.Tests.Provenance;

/// <summary>
/// Conformance with the reference implementation (spec §6): every format we sign is read by c2pa-rs
/// (tests/c2pa-reader/rs-read.mjs) with no validation failure but <c>signingCredential.untrusted</c>.
/// FLAC is absent on purpose: we write no C2PA into FLAC (see <see cref="C2paProvenanceTests.OtherFormatsAreNotHandled"/>).
/// </summary>
public sealed class C2paRsConformanceTests(C2paFixture fx) : IClassFixture<C2paFixture>
{
    /// <summary>Every output we write: the input variant and the format it is stamped as.</summary>
    public static TheoryData<string, string> Outputs => new()
    {
        { "jpeg", "jpeg" }, { "png", "png" }, { "webp", "webp" }, { "webp-lossless", "webp" },
        { "wav", "wav" }, { "mp3", "mp3" }, { "m4a", "mp4" }, { "mp4", "mp4" },
    };

    [Theory]
    [MemberData(nameof(Outputs))]
    public void C2paRsReportsNoFailureButAnUntrustedTestSigner(string variant, string format)
    {
        var f = C2paFixture.Format(format);
        // Two titles one character apart: the store's length differs by one byte, so a RIFF chunk is odd in
        // one of the two (its pad byte must stay outside the exclusion) and even in the other.
        var storeLengths = new List<int>();
        foreach (string name in new[] { $"rs-{variant}.{format}", $"rs-{variant}1.{format}" })
        {
            var ctx = fx.Context(f, name);
            byte[] output = fx.Writer.Write(fx.Input(variant), ctx);
            string path = fx.Save(name, output);
            var rs = C2paRsResult.Read(path);
            Assert.True(rs.Present, rs.Raw);
            Assert.Empty(rs.RealFailures);
            Assert.Contains("claimSignature.validated", rs.Success);
            Assert.Contains(format == "mp4" ? "assertion.bmffHash.match" : "assertion.dataHash.match", rs.Success);
            Assert.Equal(C2paIds.TrainedAlgorithmicMedia, rs.DigitalSourceType);
            Assert.StartsWith("LabelStamp/", rs.ClaimGenerator);
            Assert.Equal("LabelStamp C2PA Signer", rs.Signer);
            Assert.Equal(name, rs.Title);
            Assert.True(C2paReader.Read(output, name).Valid);
            if (format is "webp" or "wav")
                storeLengths.Add(RiffFile.Parse(output, name).Chunks.Single(c => c.FourCC == RiffManifestContainer.ChunkId).Data.Length);
        }
        if (storeLengths.Count > 0) Assert.Contains(storeLengths, n => n % 2 == 1);
    }

    [Theory]
    [InlineData("wav")]
    [InlineData("mp3")]
    public void FlippingOneMediaByteIsADataHashMismatchInC2paRs(string format)
    {
        var f = C2paFixture.Format(format);
        var ctx = fx.Context(f, "rs-flip." + format);
        byte[] output = fx.Writer.Write(fx.Input(f), ctx);
        // A byte of the samples: WAV keeps its store after the data chunk, MP3 in the ID3 tag before the frames.
        output[format == "wav" ? output.AsSpan().IndexOf("data"u8) + 100 : output.Length - 100] ^= 0x01;
        var rs = C2paRsResult.Read(fx.Save("rs-flip." + format, output));
        Assert.Contains("assertion.dataHash.mismatch", rs.Failure);
    }

    [Fact]
    public void TheOddLengthRiffStoreLeavesItsPadByteHashed()
    {
        var wav = fx.Input(MediaFormat.Wav);
        var placed = new RiffManifestContainer().Embed(wav, new byte[101], "odd.wav");
        var exclusion = Assert.Single(placed.Exclusions);
        Assert.Equal(8 + 101, exclusion.Length);
        Assert.Equal(placed.File.Length - 1 - 8 - 101, exclusion.Start);
        Assert.Equal("C2PA"u8.ToArray(), placed.File.AsSpan((int)exclusion.Start, 4).ToArray());
    }

    [Theory]
    [InlineData("/home/someone/secret project/render-07.jpg", "render-07.jpg")]
    [InlineData("batch/in/render-07.jpg", "render-07.jpg")]
    [InlineData(@"C:\Users\someone\render-07.jpg", "render-07.jpg")]
    [InlineData("content-0001", "content-0001")]
    public void TheTitleIsTheFileNameNeverAPath(string name, string title)
    {
        var ctx = fx.Context(MediaFormat.Jpeg, name);
        byte[] output = fx.Writer.Write(fx.Input(MediaFormat.Jpeg), ctx);
        Assert.Equal(title, C2paReader.Read(output, name).Title);
        var rs = C2paRsResult.Read(fx.Save("title-" + title.Replace('/', '_') + ".jpg", output));
        Assert.Equal(title, rs.Title);
        Assert.DoesNotContain("someone", rs.Raw, StringComparison.Ordinal);
    }

    /// <summary>
    /// Provider mode over an input that already carries a manifest the reference implementation signed: the
    /// labelers re-encode (dropping the JUMBF), yet the input's manifest is read first and kept as our parentOf
    /// ingredient, with its hashed manifest reference; c2pa-rs shows the ingredient and no failure.
    /// </summary>
    [Theory]
    [InlineData("jpeg", ".jpg")]
    [InlineData("wav", ".wav")]
    [InlineData("mp3", ".mp3")]
    public async Task AManifestC2paRsSignedInTheInputIsKeptAsOurParentIngredient(string format, string extension)
    {
        using var ca = fx.Factory.CreateAuthority("Foreign Generator CA");
        using var foreign = fx.Factory.CreateSigner(ca, "Foreign Generator");
        var pem = CertificateFactory.WritePem(Path.Combine(fx.Temp, "rs-foreign-" + format), ca, foreign);
        string plain = fx.Save("generated" + extension, fx.Input(C2paFixture.Format(format)));
        string signed = Path.Combine(fx.Temp, "generated-signed" + extension);
        C2paRsSigner.Sign(plain, signed, pem[1], pem[2]);
        var before = C2paRsResult.Read(signed);
        Assert.Empty(before.RealFailures);
        Assert.Equal("c2pa-rs-test/1.0", before.ClaimGenerator);

        var stamper = global::LabelStamp.Tests.Images.ImageFixtures.Catalog.CreateStamper(fx.Key, provenance: fx.Writer);
        var policy = new global::LabelStamp.Labels.LabelPolicy();
        var result = await stamper.StampAsync(await File.ReadAllBytesAsync(signed), "/somewhere/local/generated" + extension,
            new global::LabelStamp.Pipeline.StampRequest("content-parent", "001191234567890123456700001", policy));
        string path = fx.Save("restamped" + extension, result.Output);

        var rs = C2paRsResult.Read(path);
        Assert.True(rs.Present, rs.Raw);
        Assert.Empty(rs.RealFailures);
        Assert.StartsWith("LabelStamp/", rs.ClaimGenerator);
        Assert.Equal("generated" + extension, rs.Title);
        var parent = Assert.Single(rs.Ingredients);
        Assert.Equal("parentOf", parent.Relationship);
        Assert.Equal("generated" + extension, parent.Title);
        Assert.Equal(C2paIds.TrainedAlgorithmicMedia, rs.DigitalSourceType);
        Assert.Contains("\"activeManifest\":\"urn:c2pa:", rs.Raw, StringComparison.Ordinal);

        var ours = C2paReader.Read(result.Output, "restamped" + extension);
        Assert.True(ours.Valid, ours.Summary());
        Assert.Equal(2, ours.Manifests);
        Assert.Equal(1, ours.Ingredients);
        Assert.Equal([C2paIds.Opened, C2paIds.Edited], ours.Actions);
        Assert.True(ours.DeclaresAiGenerated);
    }
}
