using System.Security.Cryptography;
using LabelStamp.Media;
using LabelStamp.Provenance;

namespace LabelStamp.Tests.Provenance;

/// <summary>
/// The writer embeds a placeholder store, hashes around it, then writes the signed store of the same length over the
/// placeholder in place (<see cref="ManifestContainer.Refill"/>) and takes the data hash from the labeled bytes' own
/// SHA-256 when the store was only inserted. Both shortcuts must give the very file the long way gives: the same
/// bytes as embedding the signed store afresh, and the same data hash as hashing the placed file around its range.
/// Stores are random bytes from a fixed seed (2026).
/// </summary>
public sealed class C2paRefillTests(C2paFixture fx) : IClassFixture<C2paFixture>
{
    private static byte[] RandomStore(int length, int seed)
    {
        var store = new byte[length];
        new Random(seed).NextBytes(store);
        // What a container recognises as a C2PA store at the front: a 'jumb' superbox (LBox = length) whose
        // 'jumd' description box starts with the manifest-store UUID.
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(store, (uint)length);
        "jumb"u8.CopyTo(store.AsSpan(4));
        "jumd"u8.CopyTo(store.AsSpan(12));
        C2paIds.ManifestStoreUuid.CopyTo(store.AsSpan(16));
        return store;
    }

    public static TheoryData<string, int> Cases() => new()
    {
        // Odd lengths (RIFF pad byte), one JPEG segment, and JPEG stores split over two and three APP11 segments
        // with a short last one (65,517 payload bytes per segment).
        { "jpeg", 301 }, { "jpeg", 65_525 }, { "jpeg", 140_003 },
        { "png", 301 }, { "png", 140_003 },
        { "webp", 301 }, { "webp", 1_000 }, { "webp-lossless", 777 },
        { "wav", 301 },
    };

    private static ManifestContainer ContainerFor(string variant) => variant switch
    {
        "jpeg" => new JpegManifestContainer(),
        "png" => new PngManifestContainer(),
        _ => new RiffManifestContainer(),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RefillingThePlaceholderGivesTheFileEmbeddingGives(string variant, int length)
    {
        byte[] input = fx.Input(variant);
        var container = ContainerFor(variant);
        byte[] store = RandomStore(length, 2026);
        var expected = container.Embed(input, store, "x");

        var placed = container.Embed(input, new byte[length], "x");
        var refilled = container.Refill(input, placed, store, "x");
        Assert.Equal(expected.Exclusions, refilled.Exclusions);
        Assert.True(expected.File.AsSpan().SequenceEqual(refilled.File), $"{variant}, {length} bytes: refilled file differs from the embedded one");
        Assert.Equal(store, container.Extract(refilled.File, "x"));
    }

    /// <summary>An input that already carries a store: the placed file is not the input plus one range, so the
    /// writer must hash the placed file; refilling still gives the embedded file.</summary>
    [Theory]
    [InlineData("jpeg")]
    [InlineData("png")]
    [InlineData("webp")]
    public void AnInputWithAStoreIsRefilledAndHashedTheLongWay(string variant)
    {
        var container = ContainerFor(variant);
        byte[] input = container.Embed(fx.Input(variant), RandomStore(4_001, 7), "x").File;
        byte[] store = RandomStore(2_003, 11);
        var placed = container.Embed(input, new byte[store.Length], "x");
        Assert.NotEqual(input.Length + placed.Exclusions.Sum(e => e.Length), (long)placed.File.Length);
        var refilled = container.Refill(input, placed, store, "x");
        Assert.True(container.Embed(input, store, "x").File.AsSpan().SequenceEqual(refilled.File));
    }

    /// <summary>The writer sizes the store with the real exclusions from the sizing store's length plus the data-hash
    /// CBOR's growth, without building it: that sum must be the built store's length, with and without a previous
    /// manifest carried along, for exclusion starts and lengths in every CBOR integer size (under 24, one, two, four
    /// and eight bytes) and for two exclusions (a JPEG store split over segments).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheStoreGrowsByTheDataHashCborAlone(bool withPrevious)
    {
        var builder = new ManifestStoreBuilder(new C2paOptions(fx.Signer), "sizes.jpg", new LabelStamp.Labels.MarkId(0x0123456789abcdef));
        if (withPrevious)
        {
            var first = new ManifestStoreBuilder(new C2paOptions(fx.Signer), "first.jpg", new LabelStamp.Labels.MarkId(7));
            builder.PreviousStore = JumbfBox.Parse(first.Build(C2paIds.DataHash,
                ManifestStoreBuilder.DataHash([new HashExclusion(20, 3000)], new byte[32], 64)), "first.jpg");
        }
        byte[] zero = new byte[32];
        byte[] sizingHash = ManifestStoreBuilder.DataHash([new HashExclusion(0, 0)], zero, 64);
        int sizing = builder.Build(C2paIds.DataHash, sizingHash, final: false).Length;
        HashExclusion[][] cases =
        [
            [new(2, 20)], [new(33, 300)], [new(255, 65_535)], [new(256, 65_536)], [new(70_000, 5_000_000)],
            [new(4_294_967_296, 12)], [new(20, 65_535), new(90_000, 70_000)],
        ];
        var lengths = new HashSet<int>();
        foreach (var exclusions in cases)
        {
            int built = builder.Build(C2paIds.DataHash, ManifestStoreBuilder.DataHash(exclusions, zero, 64), final: false).Length;
            int computed = sizing + ManifestStoreBuilder.DataHash(exclusions, zero, 64).Length - sizingHash.Length;
            Assert.True(built == computed, $"{string.Join(", ", exclusions)}: built {built} bytes, computed {computed}");
            lengths.Add(built);
        }
        Assert.True(lengths.Count >= 4, "the cases should span several CBOR integer sizes");
    }

    /// <summary>The whole writer with and without the labeled bytes' hash handed in: the same signed file, byte for
    /// byte (the signer is deterministic), whose data hash is the input's SHA-256 and which validates.</summary>
    [Theory]
    [InlineData("jpeg")]
    [InlineData("png")]
    [InlineData("webp")]
    public void TheInputHashShortcutWritesTheSameSignedFile(string variant)
    {
        byte[] input = fx.Input(variant);
        byte[] Write(bool shortcut)
        {
            var builder = new ManifestStoreBuilder(new C2paOptions(fx.Signer), "same." + variant, new LabelStamp.Labels.MarkId(0x0123456789abcdef));
            builder.IdentifyBy(input);
            return C2paProvenanceWriter.WriteDataHash(input, "same." + variant, builder, ContainerFor(variant),
                inputHash: shortcut ? SHA256.HashData(input) : null);
        }
        byte[] longWay = Write(false), shortcut = Write(true);
        Assert.True(longWay.AsSpan().SequenceEqual(shortcut), $"{variant}: the hash shortcut changed the signed file");
        var report = C2paReader.Read(shortcut, "same." + variant);
        Assert.True(report.Valid, report.Summary());
    }
}
