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

/// <summary>
/// <c>c2pa.hash.boxes</c> bindings built with our store builder over JPEG and PNG (the reference implementation's
/// 0.92 builder does not write them): one entry per box of the asset, the C2PA box unhashed. c2pa-rs checks the same
/// files; both readers must say match on the file as written and mismatch with one scan byte flipped.
/// </summary>
public sealed class C2paBoxHashTests(C2paFixture fx, ITestOutputHelper log) : IClassFixture<C2paFixture>
{
    private static byte[] BoxHashCbor(IReadOnlyList<BoxHashMap.Box> boxes, byte[] file)
    {
        var w = new System.Formats.Cbor.CborWriter(System.Formats.Cbor.CborConformanceMode.Canonical);
        w.WriteStartMap(1);
        w.WriteTextString("boxes");
        w.WriteStartArray(boxes.Count);
        foreach (var box in boxes)
        {
            bool c2pa = box.Name == BoxHashMap.C2paBox;
            w.WriteStartMap(c2pa ? 3 : 4);
            w.WriteTextString("names");
            w.WriteStartArray(1);
            w.WriteTextString(box.Name);
            w.WriteEndArray();
            if (!c2pa) { w.WriteTextString("alg"); w.WriteTextString("sha256"); }
            w.WriteTextString("hash");
            w.WriteByteString(c2pa ? [0] : file.Length == 0 ? new byte[32] : System.Security.Cryptography.SHA256.HashData(file.AsSpan((int)box.Start, (int)box.Length)));
            w.WriteTextString("pad");
            w.WriteByteString([]);
            w.WriteEndMap();
        }
        w.WriteEndArray();
        w.WriteEndMap();
        return w.Encode();
    }

    private byte[] Write(string format, string name)
    {
        byte[] input = fx.Input(format);
        ManifestContainer container = format == "jpeg" ? new JpegManifestContainer() : new PngManifestContainer();
        var builder = new ManifestStoreBuilder(new C2paOptions(fx.Signer), name, fx.Context(MediaFormat.Jpeg, name).MarkId);
        // The box list (and so the assertion's size) is the same before and after the hashes are known: a real store
        // with zero hashes takes the final store's place, so the asset's boxes (the C2PA one included) are final.
        var probe = container.Embed(input, builder.Build(C2paIds.BoxesHash, BoxHashCbor([new("SOI", 0, 0)], []), final: false), name).File;
        var shape = BoxHashMap.For(probe, format)!;
        byte[] placeholder = builder.Build(C2paIds.BoxesHash, BoxHashCbor(shape, []), final: false);
        int length = placeholder.Length;
        var placed = container.Embed(input, placeholder, name).File;
        var boxes = BoxHashMap.For(placed, format)!;
        Assert.Equal(shape.Select(b => b.Name), boxes.Select(b => b.Name));
        byte[] store = builder.Build(C2paIds.BoxesHash, BoxHashCbor(boxes, placed));
        Assert.Equal(length, store.Length);
        return container.Embed(input, store, name).File;
    }

    [Theory]
    [InlineData("jpeg", ".jpg")]
    [InlineData("png", ".png")]
    public void ABoxHashIsCheckedBoxByBoxAsC2paRsChecksIt(string format, string extension)
    {
        string name = "boxes" + extension;
        byte[] output = Write(format, name);
        var ours = C2paReader.Read(output, name);
        Assert.True(ours.Valid, ours.Summary());
        Assert.Equal(C2paIds.BoxesHash, ours.HardBinding);
        var rs = C2paRsResult.Read(fx.Save(name, output));
        log.WriteLine("c2pa-rs: " + rs.Raw);
        Assert.Empty(rs.RealFailures);
        Assert.Contains("assertion.boxesHash.match", rs.Success);

        // One byte of the image data (JPEG scan, PNG IDAT) flipped: a mismatch for both.
        byte[] flipped = (byte[])output.Clone();
        var data = BoxHashMap.For(output, format)!.Last(b => b.Name is "SOS" or "IDAT");
        flipped[data.Start + data.Length / 2] ^= 0x01;
        Assert.Contains(C2paReader.Read(flipped, name).Problems, p => p.StartsWith("assertion.boxesHash.mismatch", StringComparison.Ordinal));
        var rsFlipped = C2paRsResult.Read(fx.Save("flipped-" + name, flipped));
        log.WriteLine("c2pa-rs, flipped: " + rsFlipped.Raw);
        Assert.Contains("assertion.boxesHash.mismatch", rsFlipped.Failure);
    }
}
