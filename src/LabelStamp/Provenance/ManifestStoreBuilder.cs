using System.Formats.Cbor;
using System.Security.Cryptography;
using LabelStamp.Errors;
using LabelStamp.Labels;

namespace LabelStamp.Provenance;

/// <summary>
/// Builds one manifest store: the assertion store (actions, one hard binding, soft binding, optional
/// ingredient), the <c>c2pa.claim.v2</c> that hashes each assertion box, and the COSE claim signature.
/// Every CBOR map is written in deterministic (canonical) form (C2PA §6.3.1 requires deterministic
/// encoding of what is signed). The manifest label and instance ID are fixed at construction, so the
/// same builder yields stores of identical length when only hash values change — the writer relies on
/// that to reserve space before the final hash is known.
/// </summary>
public sealed class ManifestStoreBuilder
{
    private readonly SigningCredentials _credentials;
    private readonly C2paOptions _options;
    private readonly ClaimGeneratorInfo _generator;
    private string _manifestLabel;
    private string _instanceId;

    public ManifestStoreBuilder(SigningCredentials credentials, ClaimGeneratorInfo generator, string title, MarkId markId)
        : this(new C2paOptions(credentials) { Generator = generator }, title, markId) { }

    public ManifestStoreBuilder(C2paOptions options, string title, MarkId markId)
    {
        var (credentials, generator) = (options.Credentials, options.Generator);
        _options = options;
        _credentials = credentials;
        _generator = generator;
        Title = title;
        MarkId = markId;
        _manifestLabel = "urn:c2pa:" + Guid.NewGuid().ToString("D");
        _instanceId = "xmp:iid:" + Guid.NewGuid().ToString("D");
    }

    public string Title { get; }

    /// <summary>
    /// Derives the manifest label and the instance ID from what this manifest describes (the asset's bytes
    /// as labeled, before the store goes in; the signer; the title; the mark ID) instead of drawing them at
    /// random: with RFC 6979 signatures (<see cref="DeterministicEcdsa"/>) the same input then gives the
    /// same store, byte for byte, and a replayed message the same file. Both are UUID version 8 (RFC 9562
    /// §5.8, the layout for application-defined UUIDs) taken from SHA-256, so two different assets or
    /// signers never share a label. Call before the first <see cref="Build"/> (the store's size is fixed
    /// then, and the label's length never changes).
    /// </summary>
    public void IdentifyBy(ReadOnlySpan<byte> asset) => IdentifyByHash(SHA256.HashData(asset));

    /// <summary><see cref="IdentifyBy"/> from the asset's SHA-256, for a caller that needs that hash again (the
    /// data hash of a file the store was only inserted into is the same hash).</summary>
    public void IdentifyByHash(ReadOnlySpan<byte> assetSha256)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData(assetSha256);
        h.AppendData(SHA256.HashData(_credentials.Leaf.RawData));
        h.AppendData(System.Text.Encoding.UTF8.GetBytes(Title));
        Span<byte> mark = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(mark, MarkId.Value); // the same bytes on every CPU
        h.AppendData(mark);
        byte[] identity = h.GetHashAndReset();
        _manifestLabel = "urn:c2pa:" + NameBasedUuid(identity, "manifest label");
        _instanceId = "xmp:iid:" + NameBasedUuid(identity, "instance id");
    }

    private static string NameBasedUuid(byte[] identity, string role)
    {
        byte[] u = SHA256.HashData([.. identity, .. System.Text.Encoding.ASCII.GetBytes(role)]).AsSpan(0, 16).ToArray();
        u[6] = (byte)((u[6] & 0x0F) | 0x80); // version 8
        u[8] = (byte)((u[8] & 0x3F) | 0x80); // variant 10 (RFC 9562)
        return new Guid(u, bigEndian: true).ToString("D");
    }

    public MarkId MarkId { get; }


    /// <summary>An earlier manifest store found in the input. Its manifests are carried over and its active
    /// manifest becomes our <c>parentOf</c> ingredient: the labeled file is derived from that asset (C2PA 2.x
    /// allows one parent, and an asset with a parent is opened, not created).</summary>
    public JumbfBox? PreviousStore { get; set; }

    public ManifestPurpose Purpose { get; set; } = ManifestPurpose.Creation;

    /// <summary>Whether the asset carries our watermark: the soft-binding assertion (C2PA §18.7) is
    /// written only then, so a manifest never claims a mark the labeler did not apply.</summary>
    public bool StatesWatermark { get; set; } = true;

    /// <summary>How the previous active manifest validated when it was taken in (C2PA §10.7.2 validationResults):
    /// a platform records what it saw, e.g. a hard binding broken by the labels we just added.</summary>
    public C2paReport? PreviousReport { get; set; }

    /// <summary>Builds the store around a hard-binding assertion (its label and CBOR content). A sizing pass
    /// (<paramref name="final"/> false) has the final length but skips the TSA call.</summary>
    public byte[] Build(string hardBindingLabel, byte[] hardBindingCbor, bool final = true)
    {
        var previousManifests = PreviousStore?.Children.Where(c => c.IsSuperBox).ToList() ?? [];
        bool publication = Purpose == ManifestPurpose.Publication;
        if (publication && previousManifests.Count == 0) throw Internal($"{Title}: a publication manifest needs the manifest it publishes");
        JumbfBox? ingredient = previousManifests.Count == 0 ? null
            : CborAssertion(C2paIds.IngredientV3, Ingredient(previousManifests[^1], PreviousReport, "parentOf"));
        var assertions = new List<JumbfBox>
        {
            CborAssertion(C2paIds.ActionsV2, publication ? PublicationActions(ingredient!) : ingredient is null ? CreationActions() : DerivationActions(ingredient)),
            CborAssertion(hardBindingLabel, hardBindingCbor),
        };
        if (StatesWatermark) assertions.Add(CborAssertion(C2paIds.SoftBinding, SoftBindingAssertion()));
        if (ingredient is not null) assertions.Add(ingredient);
        var assertionStore = JumbfBox.Super(C2paIds.AssertionStoreUuid, C2paIds.AssertionStoreLabel, assertions);
        byte[] claim = Claim(assertions);
        byte[] signature = final ? ClaimSigner.Sign(claim, _credentials, _options.TimestampAuthority, _options.TimestampReserve, final: true) : _credentials.SizingSignature(claim, _options.TimestampAuthority, _options.TimestampReserve);
        var manifest = JumbfBox.Super(C2paIds.ManifestUuid, _manifestLabel,
            assertionStore,
            JumbfBox.Super(C2paIds.ClaimUuid, C2paIds.ClaimV2Label, JumbfBox.Content(C2paIds.Cbor, claim)),
            JumbfBox.Super(C2paIds.SignatureUuid, C2paIds.SignatureLabel, JumbfBox.Content(C2paIds.Cbor, signature)));
        // The active manifest is the last one in the store (C2PA §11.1.2).
        return JumbfBox.Super(C2paIds.ManifestStoreUuid, C2paIds.StoreLabel, [.. previousManifests.Select(Rebox), manifest]).ToArray();
    }

    /// <summary><c>c2pa.hash.data</c> (C2PA §18.5) with a zero <c>pad</c> whose length lets the writer keep the store size fixed.</summary>
    public static byte[] DataHash(IReadOnlyList<HashExclusion> exclusions, ReadOnlySpan<byte> hash, int padLength)
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartMap(5);
        w.WriteTextString("alg"); w.WriteTextString("sha256");
        w.WriteTextString("exclusions");
        w.WriteStartArray(exclusions.Count);
        foreach (var e in exclusions)
        {
            w.WriteStartMap(2);
            w.WriteTextString("start"); w.WriteInt64(e.Start);
            w.WriteTextString("length"); w.WriteInt64(e.Length);
            w.WriteEndMap();
        }
        w.WriteEndArray();
        w.WriteTextString("hash"); w.WriteByteString(hash);
        w.WriteTextString("name"); w.WriteTextString("jumbf manifest");
        w.WriteTextString("pad"); w.WriteByteString(new byte[padLength]);
        w.WriteEndMap();
        return w.Encode();
    }

    /// <summary><c>c2pa.hash.bmff.v3</c> (C2PA §18.6): flat hash (no merkle tree) excluding ftyp, mfra and our uuid box.</summary>
    public static byte[] BmffHash(ReadOnlySpan<byte> hash)
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartMap(4);
        w.WriteTextString("alg"); w.WriteTextString("sha256");
        w.WriteTextString("exclusions");
        w.WriteStartArray(3);
        w.WriteStartMap(2);
        w.WriteTextString("xpath"); w.WriteTextString("/uuid");
        w.WriteTextString("data");
        w.WriteStartArray(1);
        w.WriteStartMap(2);
        w.WriteTextString("offset"); w.WriteInt32(8);
        w.WriteTextString("value"); w.WriteByteString(C2paIds.BmffBoxUuid);
        w.WriteEndMap();
        w.WriteEndArray();
        w.WriteEndMap();
        w.WriteStartMap(1); w.WriteTextString("xpath"); w.WriteTextString("/ftyp"); w.WriteEndMap();
        w.WriteStartMap(1); w.WriteTextString("xpath"); w.WriteTextString("/mfra"); w.WriteEndMap();
        w.WriteEndArray();
        w.WriteTextString("hash"); w.WriteByteString(hash);
        w.WriteTextString("name"); w.WriteTextString("jumbf manifest");
        w.WriteEndMap();
        return w.Encode();
    }

    private byte[] CreationActions()
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartMap(1);
        w.WriteTextString("actions");
        w.WriteStartArray(1);
        w.WriteStartMap(3);
        w.WriteTextString("action"); w.WriteTextString(C2paIds.Created);
        // EU AI Act Art. 50(2) / GB 45438: the machine-readable "generated by AI" statement.
        w.WriteTextString("digitalSourceType"); w.WriteTextString(C2paIds.TrainedAlgorithmicMedia);
        WriteSoftwareAgent(w);
        w.WriteEndMap();
        w.WriteEndArray();
        w.WriteEndMap();
        return w.Encode();
    }

    /// <summary>
    /// A provider labeling content that already carries a manifest (its generator's): C2PA 2.x requires an asset
    /// with a parentOf ingredient to start with <c>c2pa.opened</c> naming it, not <c>c2pa.created</c>. The AI
    /// statement stays ours and explicit: the opened action carries digitalSourceType trainedAlgorithmicMedia,
    /// and <c>c2pa.edited</c> records the labels we added (visible label, watermark, metadata).
    /// </summary>
    private byte[] DerivationActions(JumbfBox ingredient) =>
        OpenedThen(ingredient, C2paIds.TrainedAlgorithmicMedia, C2paIds.Edited);

    /// <summary>A platform's publication: the provider's manifest opened, its metadata edited, published.</summary>
    private byte[] PublicationActions(JumbfBox ingredient) =>
        OpenedThen(ingredient, null, C2paIds.EditedMetadata, C2paIds.Published);

    /// <summary>C2PA 2.x actions: <c>c2pa.opened</c> naming its parent ingredient by hashed URI in
    /// parameters.ingredients (with a digitalSourceType when given), then <paramref name="then"/> in order.</summary>
    private byte[] OpenedThen(JumbfBox ingredient, string? digitalSourceType, params string[] then)
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartMap(1);
        w.WriteTextString("actions");
        w.WriteStartArray(1 + then.Length);
        w.WriteStartMap(digitalSourceType is null ? 3 : 4);
        w.WriteTextString("action"); w.WriteTextString(C2paIds.Opened);
        w.WriteTextString("parameters");
        w.WriteStartMap(1);
        w.WriteTextString("ingredients");
        w.WriteStartArray(1);
        WriteHashedUri(w, $"self#jumbf={C2paIds.AssertionStoreLabel}/{ingredient.Label}", SHA256.HashData(ingredient.ToArray().AsSpan(8)));
        w.WriteEndArray();
        w.WriteEndMap();
        if (digitalSourceType is not null) { w.WriteTextString("digitalSourceType"); w.WriteTextString(digitalSourceType); }
        WriteSoftwareAgent(w);
        w.WriteEndMap();
        foreach (string action in then)
        {
            w.WriteStartMap(2);
            w.WriteTextString("action"); w.WriteTextString(action);
            WriteSoftwareAgent(w);
            w.WriteEndMap();
        }
        w.WriteEndArray();
        w.WriteEndMap();
        return w.Encode();
    }

    private void WriteSoftwareAgent(CborWriter w)
    {
        w.WriteTextString("softwareAgent");
        w.WriteStartMap(2);
        w.WriteTextString("name"); w.WriteTextString(_generator.Name);
        w.WriteTextString("version"); w.WriteTextString(_generator.Version);
        w.WriteEndMap();
    }

    private byte[] SoftBindingAssertion()
    {
        // C2PA §18.7: alg names the watermark, each block's value is what the detector recovers.
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartMap(3);
        w.WriteTextString("alg"); w.WriteTextString(C2paIds.WatermarkAlgorithm);
        w.WriteTextString("blocks");
        w.WriteStartArray(1);
        w.WriteStartMap(2);
        w.WriteTextString("scope"); w.WriteStartMap(0); w.WriteEndMap();
        w.WriteTextString("value"); w.WriteTextString(MarkId.ToString());
        w.WriteEndMap();
        w.WriteEndArray();
        w.WriteTextString("name"); w.WriteTextString("LabelStamp invisible watermark (64-bit mark ID)");
        w.WriteEndMap();
        return w.Encode();
    }

    private static byte[] Ingredient(JumbfBox previousActive, C2paReport? report, string relationship)
    {
        string url = "self#jumbf=/c2pa/" + previousActive.Label;
        // The parent's own title, as a file name (never a path, even one another tool wrote).
        string title = report?.Title is { Length: > 0 } t ? C2paProvenanceWriter.ManifestTitle(t) : "previous content credentials";
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartMap(4);
        w.WriteTextString("dc:title"); w.WriteTextString(title);
        w.WriteTextString("relationship"); w.WriteTextString(relationship);
        w.WriteTextString("activeManifest");
        WriteHashedUri(w, url, SHA256.HashData(Rebox(previousActive).ToArray().AsSpan(8)));
        // validationResults must accompany activeManifest in an ingredient v3 (C2PA §10.7.2).
        var success = new List<string>();
        var failure = new List<string>();
        if (report is not null)
        {
            if (report.SignatureValid) success.Add("claimSignature.validated");
            if (report.AssertionsIntact) success.Add("assertion.hashedURI.match");
            if (report.HardBindingValid) success.Add(report.HardBinding == C2paIds.DataHash ? "assertion.dataHash.match" : "assertion.bmffHash.match");
            foreach (var p in report.Problems) failure.Add(p.Split(':', 2)[0]);
        }
        w.WriteTextString("validationResults");
        w.WriteStartMap(1);
        w.WriteTextString("activeManifest");
        w.WriteStartMap(3);
        WriteStatuses(w, "success", success, url);
        WriteStatuses(w, "informational", [], url);
        WriteStatuses(w, "failure", failure, url);
        w.WriteEndMap();
        w.WriteEndMap();
        w.WriteEndMap();
        return w.Encode();
    }

    private static void WriteStatuses(CborWriter w, string key, List<string> codes, string url)
    {
        w.WriteTextString(key);
        w.WriteStartArray(codes.Count);
        foreach (var code in codes)
        {
            w.WriteStartMap(2);
            w.WriteTextString("code"); w.WriteTextString(code);
            w.WriteTextString("url"); w.WriteTextString(url);
            w.WriteEndMap();
        }
        w.WriteEndArray();
    }

    /// <summary>Test hook: a claim with no <c>alg</c>, as some foreign writers make them (readers must then refuse the
    /// hashed URIs: C2PA has no default algorithm).</summary>
    internal bool OmitClaimAlgorithm { get; set; }

    private byte[] Claim(List<JumbfBox> assertions)
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartMap(OmitClaimAlgorithm ? 5 : 6);
        w.WriteTextString("instanceID"); w.WriteTextString(_instanceId);
        w.WriteTextString("claim_generator_info");
        w.WriteStartMap(2);
        w.WriteTextString("name"); w.WriteTextString(_generator.Name);
        w.WriteTextString("version"); w.WriteTextString(_generator.Version);
        w.WriteEndMap();
        w.WriteTextString("signature"); w.WriteTextString("self#jumbf=" + C2paIds.SignatureLabel);
        w.WriteTextString("created_assertions");
        w.WriteStartArray(assertions.Count);
        foreach (var a in assertions)
            WriteHashedUri(w, $"self#jumbf={C2paIds.AssertionStoreLabel}/{a.Label}", SHA256.HashData(a.ToArray().AsSpan(8)));
        w.WriteEndArray();
        if (!OmitClaimAlgorithm) { w.WriteTextString("alg"); w.WriteTextString("sha256"); }
        w.WriteTextString("dc:title"); w.WriteTextString(Title);
        w.WriteEndMap();
        return w.Encode();
    }

    // Hashed URIs cover the referenced superbox without its 8-byte LBox/TBox header, as c2pa-rs and
    // c2pa-ts compute them (C2PA §8.3 hashed-uri-map).
    private static void WriteHashedUri(CborWriter w, string url, byte[] hash)
    {
        w.WriteStartMap(2);
        w.WriteTextString("url"); w.WriteTextString(url);
        w.WriteTextString("hash"); w.WriteByteString(hash);
        w.WriteEndMap();
    }

    private static JumbfBox CborAssertion(string label, byte[] cbor) =>
        JumbfBox.Super(C2paIds.CborAssertionUuid, label, JumbfBox.Content(C2paIds.Cbor, cbor));

    /// <summary>A parsed box re-serialised from its raw bytes, so carried-over manifests stay byte-identical.</summary>
    private static JumbfBox Rebox(JumbfBox box) => box.RawBytes.IsEmpty ? box : JumbfBox.Opaque(box.RawBytes.ToArray(), box.Label);

    internal static LabelStampException Internal(string what) => new(ErrorCode.Internal, what);
}
