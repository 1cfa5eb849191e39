using System.Formats.Cbor;
using System.Security.Cryptography;
using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Pipeline;
using LabelStamp.Provenance;
using LabelStamp.TestSupport;
using LabelStamp.Verification;

namespace LabelStamp.Tests.Provenance;

/// <summary>
/// Issue 22 for C2PA: stores over the <see cref="MetadataLimits"/> are refused by counting (LS603, LS402 for
/// nesting), hostile integers and ranges give typed problems, and nothing escapes as an untyped exception.
/// verify keeps its contract: an unreadable store is an invalid manifest whose problem carries the code.
/// </summary>
public sealed class C2paBoundsTests(C2paFixture fx) : IClassFixture<C2paFixture>
{
    private static string Unreadable(byte[] store, MetadataLimits? limits = null)
    {
        var report = C2paReader.Read(HostileStore.InPng(store), "hostile.png", limits);
        Assert.True(report.Present);
        Assert.False(report.Valid);
        return Assert.Single(report.Problems);
    }

    [Fact]
    public async Task A_store_of_100000_assertions_is_refused_as_too_large_by_verify_and_the_manifest_writer()
    {
        var png = HostileStore.InPng(HostileStore.WithAssertions(100_000));
        var problem = Assert.Single(C2paReader.Read(png, "hostile.png").Problems);
        Assert.StartsWith("claim.malformed: LS603 hostile.png:", problem);
        Assert.Contains("MaxJumbfBoxes", problem);

        var report = await new Verifier([new ImageInspector()]).VerifyAsync(png, "hostile.png", new VerifyOptions());
        Assert.Null(report.ErrorCode);
        Assert.Equal(LayerState.Invalid, report.Provenance.State);
        Assert.Contains("LS603", report.Provenance.Summary);

        // The writer reads a store it would carry over (platform mode keeps the input's manifest) within the same bounds.
        var e = Assert.Throws<LabelStampException>(() => fx.Writer.Write(png, fx.Context(MediaFormat.Png, "hostile.png")));
        Assert.Equal(ErrorCode.ManifestTooLarge, e.Code);
    }

    /// <summary>A JPEG of 300 APP11 segments of 60 KB, one C2PA store of 18 MB split across them (the
    /// black-box campaign's file had 4,000, 240 MB, and verify passed 1 GiB). The store is refused from the
    /// segments' lengths, before it is put together: reading it allocates far less than the store.</summary>
    [Fact]
    public void A_JPEG_store_split_over_too_many_APP11_segments_is_refused_before_it_is_assembled()
    {
        const int segments = 300, segmentBytes = 60_000;
        byte[] jpeg = JpegWithApp11Store(File.ReadAllBytes(RepoPaths.Samples("images", "dune.jpg")), segments, segmentBytes);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var report = C2paReader.Read(jpeg, "app11.jpg");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var problem = Assert.Single(report.Problems);
        Assert.StartsWith("manifest.inaccessible: LS603 app11.jpg:", problem);
        Assert.Contains("MaxManifestStoreBytes", problem);
        Assert.True(allocated < segments * segmentBytes / 4, $"{allocated} bytes allocated to refuse a {segments * segmentBytes}-byte store");
        var e = Assert.Throws<LabelStampException>(() => new JpegManifestContainer().Extract(jpeg, "app11.jpg", new MetadataLimits().MaxManifestStoreBytes));
        Assert.Equal(ErrorCode.ManifestTooLarge, e.Code);
    }

    /// <summary>Inserts after SOI one JUMBF superbox (a C2PA store description, then zeros) split across
    /// <paramref name="count"/> APP11 segments of box instance 1 (C2PA §A.3.1 layout).</summary>
    private static byte[] JpegWithApp11Store(byte[] jpeg, int count, int segmentBytes)
    {
        using var output = new MemoryStream();
        output.Write(jpeg.AsSpan(0, 2));
        for (int i = 0; i < count; i++)
        {
            var payload = new byte[segmentBytes];
            "JP"u8.CopyTo(payload);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(2), 1);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(4), (uint)(i + 1));
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(8), (uint)(count * (segmentBytes - 16) + 8));
            "jumb"u8.CopyTo(payload.AsSpan(12));
            if (i == 0)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(16), 8 + 16 + 1 + 5);
                "jumd"u8.CopyTo(payload.AsSpan(20));
                C2paIds.ManifestStoreUuid.CopyTo(payload.AsSpan(24));
                payload[40] = 3;
                "c2pa\0"u8.CopyTo(payload.AsSpan(41));
            }
            output.Write([0xFF, 0xEB, (byte)((segmentBytes + 2) >> 8), (byte)((segmentBytes + 2) & 0xFF)]);
            output.Write(payload);
        }
        output.Write(jpeg.AsSpan(2));
        return output.ToArray();
    }

    [Fact]
    public void The_assertion_bound_is_exact()
    {
        var atBound = C2paReader.Read(HostileStore.InPng(HostileStore.WithAssertions(1_000)), "ok.png");
        Assert.True(atBound.AssertionsIntact);
        Assert.DoesNotContain(atBound.Problems, p => p.Contains("LS603", StringComparison.Ordinal));

        string over = Unreadable(HostileStore.WithAssertions(1_001));
        Assert.StartsWith("claim.malformed: LS603", over);
        Assert.Contains("MaxAssertionsPerManifest", over);
    }

    [Fact]
    public void An_assertion_named_many_times_is_read_once()
    {
        byte[] actions = HostileStore.Cbor(w =>
        {
            w.WriteStartMap(1);
            w.WriteTextString("actions");
            w.WriteStartArray(1);
            w.WriteStartMap(2);
            w.WriteTextString("action"); w.WriteTextString(C2paIds.Created);
            w.WriteTextString("digitalSourceType"); w.WriteTextString(C2paIds.TrainedAlgorithmicMedia);
            w.WriteEndMap();
            w.WriteEndArray();
            w.WriteEndMap();
        });
        var box = HostileStore.Assertion(C2paIds.ActionsV2, actions);
        byte[] claim = HostileStore.Claim([.. Enumerable.Repeat(box, 1_000)]);
        var report = C2paReader.Read(HostileStore.InPng(HostileStore.Store(HostileStore.Manifest("urn:c2pa:rep", [box], claim))), "rep.png");
        Assert.True(report.AssertionsIntact);
        Assert.Equal([C2paIds.Created], report.Actions);
        Assert.True(report.DeclaresAiGenerated);
    }

    [Fact]
    public void Too_many_manifests_are_refused()
    {
        var limits = new MetadataLimits { MaxManifests = 4 };
        var manifests = Enumerable.Range(0, 5).Select(i => HostileStore.Manifest($"urn:c2pa:m{i}", [HostileStore.Assertion("org.example.a", HostileStore.EmptyMap)]));
        Assert.Equal(4, C2paReader.Read(HostileStore.InPng(HostileStore.Store(manifests.Take(4))), "m.png", limits).Manifests);
        string problem = Unreadable(HostileStore.Store(manifests), limits);
        Assert.Contains("LS603", problem);
        Assert.Contains("MaxManifests", problem);
    }

    [Fact]
    public void Too_many_ingredients_are_refused()
    {
        var limits = new MetadataLimits { MaxIngredientsPerManifest = 2 };
        byte[] ingredient = HostileStore.Cbor(w => { w.WriteStartMap(1); w.WriteTextString("relationship"); w.WriteTextString("componentOf"); w.WriteEndMap(); });
        byte[] Store(int n) => HostileStore.Store(HostileStore.Manifest("urn:c2pa:i",
            [.. Enumerable.Range(0, n).Select(i => HostileStore.Assertion($"{C2paIds.IngredientV3}__{i}", ingredient))]));
        Assert.Equal(2, C2paReader.Read(HostileStore.InPng(Store(2)), "i.png", limits).Ingredients);
        string problem = Unreadable(Store(3), limits);
        Assert.Contains("LS603", problem);
        Assert.Contains("MaxIngredientsPerManifest", problem);
    }

    [Fact]
    public void Deep_jumbf_nesting_is_too_complex()
    {
        var box = JumbfBox.Content(C2paIds.Cbor, HostileStore.EmptyMap);
        for (int i = 0; i < 40; i++) box = JumbfBox.Super(C2paIds.CborAssertionUuid, "n" + i, box);
        string problem = Unreadable(HostileStore.Store(HostileStore.Manifest("urn:c2pa:deep", [box])));
        Assert.StartsWith("claim.malformed: LS402", problem);
        Assert.Contains("MaxJumbfDepth", problem);
        var e = Assert.Throws<LabelStampException>(() => JumbfBox.Parse(HostileStore.Store(HostileStore.Manifest("urn:c2pa:deep", [box])), "deep"));
        Assert.Equal(ErrorCode.MetadataTooComplex, e.Code);
    }

    [Fact]
    public void A_store_over_the_byte_bound_is_refused_before_parsing()
    {
        byte[] store = HostileStore.Store(HostileStore.Manifest("urn:c2pa:big", [HostileStore.Assertion("org.example.big",
            HostileStore.Cbor(w => w.WriteByteString(new byte[100_000])))]));
        var e = Assert.Throws<LabelStampException>(() => JumbfBox.Parse(store, "big", new MetadataLimits { MaxManifestStoreBytes = 64 << 10 }));
        Assert.Equal(ErrorCode.ManifestTooLarge, e.Code);
        Assert.Contains("MaxManifestStoreBytes", e.Message);
        Assert.NotNull(JumbfBox.Parse(store, "big"));
    }

    [Fact]
    public void Deep_or_large_cbor_is_too_complex()
    {
        byte[] deep = HostileStore.Cbor(w => { for (int i = 0; i < 40; i++) w.WriteStartArray(1); w.WriteInt32(1); for (int i = 0; i < 40; i++) w.WriteEndArray(); });
        var d = Assert.Throws<LabelStampException>(() => CborTree.Decode(deep, "deep"));
        Assert.Equal(ErrorCode.MetadataTooComplex, d.Code);
        Assert.Contains("MaxCborDepth", d.Message);
        Assert.Contains("LS402", Unreadable(HostileStore.Store(HostileStore.Manifest("urn:c2pa:d", [HostileStore.Assertion("org.example.deep", deep)]))));

        var limits = new MetadataLimits { MaxCborItems = 1_000 };
        byte[] Items(int n) => HostileStore.Cbor(w => { w.WriteStartArray(n - 1); for (int i = 0; i < n - 1; i++) w.WriteInt32(i); w.WriteEndArray(); });
        Assert.Equal(999, Assert.IsType<List<object?>>(CborTree.Decode(Items(1_000), "items", limits)).Count);
        var many = Assert.Throws<LabelStampException>(() => CborTree.Decode(Items(1_001), "items", limits));
        Assert.Equal(ErrorCode.MetadataTooComplex, many.Code);
        Assert.Contains("MaxCborItems", many.Message);
    }

    public static TheoryData<string> HostileIntegers => ["value 2^64-1", "value -2^64", "value 2^63", "key 2^63", "key -2^64", "key bytes"];

    private static void WriteHostile(CborWriter w, string kind)
    {
        switch (kind)
        {
            case "value 2^64-1": w.WriteTextString("n"); w.WriteUInt64(ulong.MaxValue); break;
            case "value -2^64": w.WriteTextString("n"); w.WriteCborNegativeIntegerRepresentation(ulong.MaxValue); break;
            case "value 2^63": w.WriteTextString("n"); w.WriteUInt64(1UL << 63); break;
            case "key 2^63": w.WriteUInt64(1UL << 63); w.WriteInt32(0); break;
            case "key -2^64": w.WriteCborNegativeIntegerRepresentation(ulong.MaxValue); w.WriteInt32(0); break;
            case "key bytes": w.WriteByteString([1, 2]); w.WriteInt32(0); break;
            default: throw new ArgumentException(kind);
        }
    }

    [Theory]
    [MemberData(nameof(HostileIntegers))]
    public void Integers_beyond_a_long_and_odd_keys_in_a_claim_are_invalid_not_internal(string kind)
    {
        byte[] cbor = HostileStore.Cbor(w => { w.WriteStartMap(1); WriteHostile(w, kind); w.WriteEndMap(); });
        Assert.Equal(ErrorCode.ManifestInvalid, Assert.Throws<LabelStampException>(() => CborTree.Decode(cbor, "int")).Code);

        var assertion = HostileStore.Assertion("org.example.a", HostileStore.EmptyMap);
        byte[] claim = HostileStore.Claim([assertion], 1, w => WriteHostile(w, kind));
        string problem = Unreadable(HostileStore.Store(HostileStore.Manifest("urn:c2pa:int", [assertion], claim)));
        Assert.StartsWith("claim.malformed: LS602 hostile.png:", problem);
    }

    [Theory]
    [InlineData("key 2^63")]
    [InlineData("key -2^64")]
    [InlineData("value 2^64-1")]
    public void A_cose_unprotected_header_beyond_a_long_makes_the_signature_invalid(string kind)
    {
        byte[] protectedHeader = HostileStore.Cbor(w => { w.WriteStartMap(1); w.WriteInt32(1); w.WriteInt32(-7); w.WriteEndMap(); });
        byte[] cose = HostileStore.Cbor(w =>
        {
            w.WriteTag((CborTag)18);
            w.WriteStartArray(4);
            w.WriteByteString(protectedHeader);
            w.WriteStartMap(1);
            if (kind.StartsWith("key", StringComparison.Ordinal)) WriteHostile(w, kind);
            else { w.WriteInt32(4); w.WriteUInt64(ulong.MaxValue); }
            w.WriteEndMap();
            w.WriteNull();
            w.WriteByteString(new byte[64]);
            w.WriteEndArray();
        });
        var check = ClaimSigner.Verify(cose, [0xA0]);
        Assert.False(check.Valid);
        Assert.Contains("64-bit", check.Error);

        var assertion = HostileStore.Assertion("org.example.a", HostileStore.EmptyMap);
        var report = C2paReader.Read(HostileStore.InPng(HostileStore.Store(HostileStore.Manifest("urn:c2pa:cose", [assertion], signature: cose))), "cose.png");
        Assert.False(report.SignatureValid);
        Assert.True(report.AssertionsIntact);
        Assert.Contains(report.Problems, p => p.StartsWith("claimSignature.mismatch", StringComparison.Ordinal) && p.Contains("64-bit", StringComparison.Ordinal));
    }

    private static C2paReport WithDataHash(params (long Start, long Length)[] exclusions)
    {
        byte[] hash = HostileStore.Cbor(w =>
        {
            w.WriteStartMap(3);
            w.WriteTextString("alg"); w.WriteTextString("sha256");
            w.WriteTextString("exclusions");
            w.WriteStartArray(exclusions.Length);
            foreach (var (start, length) in exclusions)
            {
                w.WriteStartMap(2);
                w.WriteTextString("start"); w.WriteInt64(start);
                w.WriteTextString("length"); w.WriteInt64(length);
                w.WriteEndMap();
            }
            w.WriteEndArray();
            w.WriteTextString("hash"); w.WriteByteString(new byte[32]);
            w.WriteEndMap();
        });
        var store = HostileStore.Store(HostileStore.Manifest("urn:c2pa:hash", [HostileStore.Assertion(C2paIds.DataHash, hash)]));
        return C2paReader.Read(HostileStore.InPng(store), "hash.png");
    }

    [Theory]
    [InlineData(100, 10_000_000)]    // starts inside the (≈ 190 KB) file, runs past its end
    [InlineData(100, long.MaxValue)] // start + length overflows a long
    [InlineData(long.MaxValue, 1)]
    [InlineData(10_000_000, 0)]      // starts past the end, empty
    public void A_data_hash_exclusion_past_the_end_is_malformed_not_internal(long start, long length)
    {
        var report = WithDataHash((start, length));
        Assert.Equal(C2paIds.DataHash, report.HardBinding);
        Assert.False(report.HardBindingValid);
        Assert.Contains(report.Problems, p => p.StartsWith("assertion.dataHash.malformed", StringComparison.Ordinal) && p.Contains("past the end", StringComparison.Ordinal));
    }

    [Fact]
    public void Overlapping_or_too_many_exclusions_are_reported()
    {
        Assert.Contains("assertion.dataHash.malformed: exclusions overlap", WithDataHash((10, 20), (20, 5)).Problems);
        var many = WithDataHash([.. Enumerable.Range(0, 65).Select(i => ((long)i * 10, 1L))]);
        var problem = Assert.Single(many.Problems);
        Assert.Contains("LS603", problem);
        Assert.Contains("MaxHashExclusions", problem);
        // The hash itself never reads out of range, whatever ranges it is given.
        Assert.Empty(C2paProvenanceWriter.DataHash(new byte[100], [new HashExclusion(10, long.MaxValue)]));
        Assert.Empty(C2paProvenanceWriter.DataHash(new byte[100], [new HashExclusion(101, 0)]));
        Assert.Equal(SHA256.HashData(new byte[90]), C2paProvenanceWriter.DataHash(new byte[100], [new HashExclusion(90, 10)]));
    }

    [Fact]
    public void Bmff_exclusions_with_hostile_offsets_match_nothing_instead_of_throwing()
    {
        // ftyp, then one 'free' box of 32 bytes.
        byte[] mp4 = new byte[24 + 32];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(mp4, 24);
        "ftypisom"u8.CopyTo(mp4.AsSpan(4));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(mp4.AsSpan(24), 32);
        "free"u8.CopyTo(mp4.AsSpan(28));
        byte[] plain = BmffManifestContainer.Hash(mp4, "x.mp4", []);
        BmffExclusion[] hostile =
        [
            new("/free") { Data = [(long.MaxValue - 2, [0])] },
            new("/free") { Data = [(-8, [0])] },
            new("/free") { Subset = [(-5, 3), (4, -1), (long.MaxValue, 1)] },
        ];
        foreach (var exclusion in hostile)
            Assert.Equal(plain, BmffManifestContainer.Hash(mp4, "x.mp4", [exclusion]));
        Assert.NotEqual(plain, BmffManifestContainer.Hash(mp4, "x.mp4", [new BmffExclusion("/free")]));
    }
}
