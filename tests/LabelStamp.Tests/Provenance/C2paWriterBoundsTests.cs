using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Pipeline;
using LabelStamp.Provenance;

namespace LabelStamp.Tests.Provenance;

/// <summary>
/// The manifest writer never writes a store our reader would refuse under the same <see cref="MetadataLimits"/>:
/// a store grows by a manifest each time a file is stamped again, and carries whatever the previous one held.
/// Over a bound the write fails with LS603 (LS402 for nesting) before anything is signed; within it the
/// store reads back.
/// </summary>
public sealed class C2paWriterBoundsTests(C2paFixture fx) : IClassFixture<C2paFixture>
{
    private StampContext Context(MediaFormat format, string name, MetadataLimits limits) =>
        fx.Context(format, name) with { Limits = new MediaLimits { Metadata = limits } };

    [Fact]
    public void Stamping_again_past_the_manifest_limit_is_refused_and_within_it_reads_back()
    {
        var limits = new MetadataLimits { MaxManifests = 2 };
        byte[] once = fx.Writer.Write(fx.Input(MediaFormat.Jpeg), Context(MediaFormat.Jpeg, "chain.jpg", limits));
        byte[] twice = fx.Writer.Write(once, Context(MediaFormat.Jpeg, "chain.jpg", limits));
        var read = C2paReader.Read(twice, "chain.jpg", limits);
        Assert.True(read.Present);
        Assert.DoesNotContain(read.Problems, p => p.Contains("LS603", StringComparison.Ordinal));

        var e = Assert.Throws<LabelStampException>(() => fx.Writer.Write(twice, Context(MediaFormat.Jpeg, "chain.jpg", limits)));
        Assert.Equal(ErrorCode.ManifestTooLarge, e.Code);
        Assert.Contains("would hold 3 manifests", e.Message);
        Assert.Contains("Limits:Metadata:MaxManifests", e.Message);
        // One more allowed, the third stamp is written and reads back.
        var three = limits with { MaxManifests = 3 };
        byte[] thrice = fx.Writer.Write(twice, Context(MediaFormat.Jpeg, "chain.jpg", three));
        Assert.DoesNotContain(C2paReader.Read(thrice, "chain.jpg", three).Problems, p => p.Contains("LS603", StringComparison.Ordinal));
    }

    [Fact]
    public void A_carried_store_that_our_manifest_would_push_past_the_byte_limit_is_refused()
    {
        // A previous store of about 64.5 KB: readable under a 64 KiB limit, not once our manifest (certificate chain,
        // claim, signature) is added to it.
        var filler = HostileStore.Assertion("org.example.filler", HostileStore.Cbor(w => w.WriteByteString(new byte[64_500])));
        byte[] store = HostileStore.Store(HostileStore.Manifest("urn:c2pa:00000000-0000-0000-0000-000000000001", [filler]));
        var limits = new MetadataLimits { MaxManifestStoreBytes = 64 << 10 };
        Assert.InRange(store.Length, 64_500, limits.MaxManifestStoreBytes);
        byte[] png = HostileStore.InPng(store);

        var e = Assert.Throws<LabelStampException>(() => fx.Writer.Write(png, Context(MediaFormat.Png, "full.png", limits)));
        Assert.Equal(ErrorCode.ManifestTooLarge, e.Code);
        Assert.Contains("Limits:Metadata:MaxManifestStoreBytes", e.Message);
        Assert.Contains("refused to write", e.Message);

        // Under the default limit (16 MiB) the same file is stamped, and the store reads back at its size.
        byte[] written = fx.Writer.Write(png, fx.Context(MediaFormat.Png, "full.png"));
        Assert.True(C2paReader.Read(written, "full.png").Present);
    }

    [Fact]
    public void A_carried_store_that_our_manifest_would_push_past_the_box_limit_is_refused()
    {
        // 28 assertions are 56 boxes; with the store, the manifest, its assertion store, claim and signature 63:
        // within 64, not with our manifest added.
        var assertions = Enumerable.Range(0, 28).Select(i => HostileStore.Assertion($"org.example.a{i}", HostileStore.EmptyMap)).ToList();
        byte[] store = HostileStore.Store(HostileStore.Manifest("urn:c2pa:00000000-0000-0000-0000-000000000002", assertions));
        var limits = new MetadataLimits { MaxJumbfBoxes = 64 };
        JumbfBox.Parse(store, "boxes.png", limits); // the carried store alone is readable
        var e = Assert.Throws<LabelStampException>(() => fx.Writer.Write(HostileStore.InPng(store), Context(MediaFormat.Png, "boxes.png", limits)));
        Assert.Equal(ErrorCode.ManifestTooLarge, e.Code);
        Assert.Contains("MaxJumbfBoxes", e.Message);
        Assert.Contains("refused to write", e.Message);
    }
}
