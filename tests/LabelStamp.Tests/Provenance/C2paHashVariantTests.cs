using LabelStamp.Media;
using LabelStamp.Provenance;
using Xunit.Abstractions;

namespace LabelStamp.Tests.Provenance;

/// <summary>
/// Hard-binding variants no current writer of ours makes, built here with our own store builder: the first BMFF hash
/// (<c>c2pa.hash.bmff</c>, boxes hashed without their offsets) and a claim that names no hash algorithm.
/// </summary>
public sealed class C2paHashVariantTests(C2paFixture fx, ITestOutputHelper log) : IClassFixture<C2paFixture>
{
    private ManifestStoreBuilder Builder(string name) =>
        new(new C2paOptions(fx.Signer), name, fx.Context(MediaFormat.Mp4, name).MarkId);

    private byte[] BmffV1(string name, bool hashWithOffsets)
    {
        var builder = Builder(name);
        var container = new BmffManifestContainer();
        byte[] input = fx.Input("mp4");
        int length = builder.Build(C2paIds.BmffHashV1, ManifestStoreBuilder.BmffHash(new byte[32]), final: false).Length;
        var placed = container.Embed(input, new byte[length], name);
        byte[] hash = BmffManifestContainer.Hash(placed.File, name, offsets: hashWithOffsets);
        byte[] store = builder.Build(C2paIds.BmffHashV1, ManifestStoreBuilder.BmffHash(hash));
        Assert.Equal(length, store.Length);
        return container.Embed(input, store, name).File;
    }

    [Fact]
    public void TheFirstBmffHashIsCheckedWithoutBoxOffsetsAsC2paRsDoes()
    {
        byte[] v1 = BmffV1("v1.mp4", hashWithOffsets: false);
        var ours = C2paReader.Read(v1, "v1.mp4");
        Assert.True(ours.Valid, ours.Summary());
        Assert.Equal(C2paIds.BmffHashV1, ours.HardBinding);
        var rs = C2paRsResult.Read(fx.Save("v1.mp4", v1));
        log.WriteLine("c2pa-rs on c2pa.hash.bmff (v1): " + rs.Raw);
        Assert.Empty(rs.RealFailures);

        // The same label over a hash that did include the offsets (the v2/v3 rule): a mismatch for both readers.
        byte[] wrong = BmffV1("v1-offsets.mp4", hashWithOffsets: true);
        Assert.Contains(C2paReader.Read(wrong, "v1-offsets.mp4").Problems, p => p.StartsWith("assertion.bmffHash.mismatch", StringComparison.Ordinal));
        Assert.Contains("assertion.bmffHash.mismatch", C2paRsResult.Read(fx.Save("v1-offsets.mp4", wrong)).Failure);
    }

    /// <summary>C2PA has no default hash algorithm (§15.4: a hashed URI whose algorithm is named nowhere is invalid):
    /// every assertion reference of a claim without <c>alg</c> is algorithm.unsupported, and the manifest invalid.</summary>
    [Fact]
    public void AClaimWithoutAlgIsAlgorithmUnsupported()
    {
        var builder = Builder("no-alg.jpg");
        builder.OmitClaimAlgorithm = true;
        byte[] output = C2paProvenanceWriter.WriteDataHash(fx.Input("jpeg"), "no-alg.jpg", builder, new JpegManifestContainer());
        var ours = C2paReader.Read(output, "no-alg.jpg");
        Assert.False(ours.Valid);
        Assert.False(ours.AssertionsIntact);
        Assert.True(ours.SignatureValid, ours.Summary());
        Assert.Contains(ours.Problems, p => p.StartsWith("algorithm.unsupported", StringComparison.Ordinal));
        Assert.DoesNotContain(ours.Problems, p => p.StartsWith("assertion.hashedURI.mismatch", StringComparison.Ordinal));
        // c2pa-rs refuses the whole store (UnknownAlgorithm): no validation results, no verdict of "valid" either.
        var rs = C2paRsResult.Read(fx.Save("no-alg.jpg", output));
        log.WriteLine("c2pa-rs on a claim without alg: " + rs.Raw);
        Assert.Contains("UnknownAlgorithm", rs.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain("claimSignature.validated", rs.Success);
    }
}
