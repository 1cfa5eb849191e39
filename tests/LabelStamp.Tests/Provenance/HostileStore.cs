using System.Formats.Cbor;
using System.Security.Cryptography;
using LabelStamp.Provenance;
using LabelStamp.TestSupport;

namespace LabelStamp.Tests.Provenance;

/// <summary>
/// Builds unsigned C2PA manifest stores of any shape for the bounds tests: assertions with hashed URIs
/// that match (so the reader goes on to read them), extra claim fields, and any bytes as the signature.
/// The signature never verifies; the reader reports that and still checks everything else.
/// </summary>
internal static class HostileStore
{
    public static JumbfBox Assertion(string label, byte[] cbor) =>
        JumbfBox.Super(C2paIds.CborAssertionUuid, label, JumbfBox.Content(C2paIds.Cbor, cbor));

    public static byte[] Cbor(Action<CborWriter> write)
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        write(w);
        return w.Encode();
    }

    /// <summary>An empty CBOR map: the content of an assertion nobody reads.</summary>
    public static byte[] EmptyMap { get; } = [0xA0];

    /// <summary>A claim listing every assertion by hashed URI, plus <paramref name="extraFields"/> (key, value) pairs.</summary>
    public static byte[] Claim(IReadOnlyList<JumbfBox> assertions, int extraFields = 0, Action<CborWriter>? writeExtra = null) => Cbor(w =>
    {
        w.WriteStartMap(2 + extraFields);
        w.WriteTextString("created_assertions");
        w.WriteStartArray(assertions.Count);
        foreach (var a in assertions)
        {
            w.WriteStartMap(2);
            w.WriteTextString("url"); w.WriteTextString($"self#jumbf={C2paIds.AssertionStoreLabel}/{a.Label}");
            w.WriteTextString("hash"); w.WriteByteString(SHA256.HashData(a.ToArray().AsSpan(8)));
            w.WriteEndMap();
        }
        w.WriteEndArray();
        w.WriteTextString("alg"); w.WriteTextString("sha256");
        writeExtra?.Invoke(w);
        w.WriteEndMap();
    });

    public static JumbfBox Manifest(string label, IReadOnlyList<JumbfBox> assertions, byte[]? claim = null, byte[]? signature = null) =>
        JumbfBox.Super(C2paIds.ManifestUuid, label,
            JumbfBox.Super(C2paIds.AssertionStoreUuid, C2paIds.AssertionStoreLabel, assertions),
            JumbfBox.Super(C2paIds.ClaimUuid, C2paIds.ClaimV2Label, JumbfBox.Content(C2paIds.Cbor, claim ?? Claim(assertions))),
            JumbfBox.Super(C2paIds.SignatureUuid, C2paIds.SignatureLabel, JumbfBox.Content(C2paIds.Cbor, signature ?? [0x80])));

    public static byte[] Store(params IEnumerable<JumbfBox> manifests) =>
        JumbfBox.Super(C2paIds.ManifestStoreUuid, C2paIds.StoreLabel, manifests).ToArray();

    /// <summary>The small sample PNG with <paramref name="store"/> embedded where C2PA puts it.</summary>
    public static byte[] InPng(byte[] store) =>
        new PngManifestContainer().Embed(File.ReadAllBytes(RepoPaths.Samples("images", "arc-transparent.png")), store, "hostile.png").File;

    /// <summary>A store of one manifest with <paramref name="count"/> assertions of an empty map.</summary>
    public static byte[] WithAssertions(int count) =>
        Store(Manifest("urn:c2pa:hostile", [.. Enumerable.Range(0, count).Select(i => Assertion($"org.example.a{i}", EmptyMap))]));
}
