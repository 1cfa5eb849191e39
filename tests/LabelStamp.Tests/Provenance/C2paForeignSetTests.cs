using LabelStamp.Media;
using LabelStamp.Provenance;
using Xunit.Abstractions;

namespace LabelStamp.Tests.Provenance;

/// <summary>
/// The foreign set: files the reference implementation signed (rs-sign.mjs, c2pa-rs's Builder) in JPEG, PNG and MP4
/// with each signature algorithm C2PA allows (ES256/384/512, PS256, Ed25519; SHA-384/512 claims with ES384/512), as
/// signed and with one media byte flipped, plus an update manifest. On every file our verify's verdict equals
/// c2pa-rs's: the same failure codes (none, or the same mismatch), and the same trust in the signer given the set's
/// CA as anchor. Each case prints its row of bench/C2PA.md's foreign-set table.
/// </summary>
public sealed class C2paForeignSetTests(C2paFixture fx, ForeignSigners signers, ITestOutputHelper log)
    : IClassFixture<C2paFixture>, IClassFixture<ForeignSigners>
{
    public static TheoryData<string, string> Set()
    {
        var set = new TheoryData<string, string>();
        foreach (var format in new[] { "jpeg", "png", "mp4" })
            foreach (var alg in ForeignSigners.Algorithms) set.Add(format, alg);
        return set;
    }

    private static string Extension(string format) => format switch { "jpeg" => ".jpg", "png" => ".png", _ => ".mp4" };

    [Theory]
    [MemberData(nameof(Set))]
    public void OurVerdictEqualsC2paRsOnEachFormatAndAlgorithm(string format, string alg)
    {
        var (chain, key) = signers.For(alg);
        string input = fx.Save($"foreign-in-{format}-{alg}{Extension(format)}", fx.Input(format));
        string signed = Path.Combine(fx.Temp, $"foreign-{format}-{alg}{Extension(format)}");
        string hash = alg switch { "es384" => "sha384", "es512" => "sha512", _ => "sha256" };
        C2paRsSigner.Sign(input, signed, chain, key, alg: alg, hashAlg: hash);
        var intact = Compare(signed, $"{format} {alg} ({hash})");
        Assert.Empty(intact.Failures);
        Assert.True(intact.Ours.Valid, intact.Ours.Summary());

        byte[] bytes = File.ReadAllBytes(signed);
        int at = format == "mp4" ? bytes.AsSpan().IndexOf("mdat"u8) + 64 : bytes.Length - 40;
        bytes[at] ^= 0x01;
        string tampered = fx.Save($"foreign-{format}-{alg}-flipped{Extension(format)}", bytes);
        var broken = Compare(tampered, $"{format} {alg}, one media byte flipped");
        Assert.Equal([format == "mp4" ? "assertion.bmffHash.mismatch" : "assertion.dataHash.mismatch"], broken.Failures);
        Assert.False(broken.Ours.Valid);
    }

    [Theory]
    [InlineData("jpeg")]
    [InlineData("mp4")]
    public void AnUpdateManifestIsValidThroughItsParentsHardBinding(string format)
    {
        var (chain, key) = signers.For("es256");
        string input = fx.Save($"update-in{Extension(format)}", fx.Input(format));
        string first = Path.Combine(fx.Temp, $"update-first{Extension(format)}");
        string updated = Path.Combine(fx.Temp, $"update-second{Extension(format)}");
        C2paRsSigner.Sign(input, first, chain, key);
        C2paRsSigner.Sign(first, updated, chain, key, sourceType: "none", update: true);
        var result = Compare(updated, $"{format} update manifest over an es256 manifest");
        Assert.Empty(result.Failures);
        Assert.True(result.Ours.Valid, result.Ours.Summary());
        Assert.True(result.Ours.HardBindingInherited);
        Assert.Equal(2, result.Ours.Manifests);
        // The parent's source type still makes it an AI label.
        Assert.True(result.Ours.DeclaresAiGenerated);

        byte[] bytes = File.ReadAllBytes(updated);
        bytes[format == "mp4" ? bytes.AsSpan().IndexOf("mdat"u8) + 64 : bytes.Length - 40] ^= 0x01;
        var broken = Compare(fx.Save($"update-flipped{Extension(format)}", bytes), $"{format} update manifest, one media byte flipped");
        Assert.NotEmpty(broken.Failures);
        Assert.False(broken.Ours.Valid);
    }

    /// <summary>Both readers on one file, with the set's CA as trust anchor: asserts equal failure codes and equal
    /// trust, prints the row, returns the codes and our report.</summary>
    private (IReadOnlyList<string> Failures, C2paReport Ours) Compare(string path, string what)
    {
        var rs = C2paRsResult.Read(path, signers.AnchorPem);
        Assert.True(rs.Present, rs.Raw);
        var ours = C2paReader.Read(File.ReadAllBytes(path), Path.GetFileName(path), anchors: TrustAnchors.Load(signers.AnchorPem));
        var theirs = rs.Failure.Where(f => !f.StartsWith("ingredient:", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToList();
        var mine = ours.Problems.Select(p => p.Split(':')[0]).Distinct().Order(StringComparer.Ordinal).ToList();
        bool rsTrusted = rs.Success.Contains("signingCredential.trusted");
        log.WriteLine($"| {what} | {Codes(theirs)} | {Codes(mine)} | {(rsTrusted ? "trusted" : "untrusted")} / {ours.SignerTrust} |");
        Assert.True(theirs.SequenceEqual(mine), $"{what}: c2pa-rs {Codes(theirs)}, ours {Codes(mine)}; {rs.Raw}");
        Assert.Equal(rsTrusted ? SignerTrust.Trusted : SignerTrust.Untrusted, ours.SignerTrust);
        return (theirs, ours);
    }

    private static string Codes(IReadOnlyList<string> codes) => codes.Count == 0 ? "none" : string.Join(", ", codes);
}
