using LabelStamp.Provenance;
using LabelStamp.Verification;

namespace LabelStamp.Tests.Provenance;

/// <summary>
/// verify's verdicts on manifests the reference implementation signed (tests/c2pa-reader/rs-sign.mjs): only an
/// AI source type is an AI label; PS256 with RSA and RSA-PSS keys; SHA-384 and SHA-512 hashes.
/// </summary>
public sealed class C2paVerifyVerdictTests(C2paFixture fx) : IClassFixture<C2paFixture>
{
    private string SignWithC2paRs(string tag, string sourceType = "trainedAlgorithmicMedia", string hashAlg = "sha256")
    {
        using var ca = fx.Factory.CreateAuthority("Verdict CA");
        using var signer = fx.Factory.CreateSigner(ca, "Verdict Signer");
        var pem = CertificateFactory.WritePem(Path.Combine(fx.Temp, "verdict-" + tag), ca, signer);
        string input = fx.Save("verdict-in.jpg", fx.Input(C2paFixture.Format("jpeg")));
        string output = Path.Combine(fx.Temp, $"verdict-{tag}.jpg");
        C2paRsSigner.Sign(input, output, pem[1], pem[2], sourceType, hashAlg: hashAlg);
        return output;
    }

    [Theory]
    [InlineData("trainedAlgorithmicMedia", true)]
    [InlineData("compositeWithTrainedAlgorithmicMedia", true)]
    [InlineData("algorithmicMedia", true)]
    [InlineData("compositeSynthetic", true)]
    [InlineData("digitalCapture", false)]
    [InlineData("none", false)]
    public void OnlyAnAiSourceTypeMakesAValidManifestAnAiLabel(string sourceType, bool ai)
    {
        string path = SignWithC2paRs(sourceType, sourceType);
        var rs = C2paRsResult.Read(path);
        // c2pa-rs (C2PA 2.4) requires a source type on c2pa.created: a manifest without actions is malformed there.
        if (sourceType == "none") Assert.Contains("assertion.action.malformed", rs.Failure);
        else Assert.Empty(rs.RealFailures);
        var row = C2paFinding.From(File.ReadAllBytes(path), path, null);
        Assert.Equal(LayerState.Found, row.State);
        Assert.Equal(ai, row.AiGenerated);
        Assert.Equal(ai ? "true" : "false", row.Details!["aiGenerated"]);
        Assert.Equal(ai, row.Summary.Contains("AI-generated", StringComparison.Ordinal));
        if (!ai) Assert.Contains("not an AI label", row.Summary);
        var none = new LayerFinding(LayerState.NotFound, "none");
        Assert.Equal(ai, new VerifyReport(path, "jpeg", none, none, none, row).AiLabelFound);
    }

    [Theory]
    [InlineData("sha384")]
    [InlineData("sha512")]
    public void Sha384AndSha512HashesAreChecked(string hashAlg)
    {
        string path = SignWithC2paRs(hashAlg, hashAlg: hashAlg);
        var bytes = File.ReadAllBytes(path);
        var report = C2paReader.Read(bytes, path);
        Assert.True(report.Valid, report.Summary());
        Assert.Empty(report.Problems);
        bytes[bytes.AsSpan().LastIndexOf(new byte[] { 0xFF, 0xD9 }) - 64] ^= 0x01;
        Assert.Contains(C2paReader.Read(bytes, path).Problems, p => p.StartsWith("assertion.dataHash.mismatch", StringComparison.Ordinal));
    }

    /// <summary>PS256 over an rsaEncryption key and over an id-RSASSA-PSS key (openssl makes both; .NET's
    /// GetRSAPublicKey returns null for the latter), both accepted by c2pa-rs.</summary>
    [Theory]
    [InlineData("RSA")]
    [InlineData("RSA-PSS")]
    public void Ps256VerifiesWithRsaAndRsaPssKeys(string keyType)
    {
        string dir = Path.Combine(fx.Temp, "ps256-" + keyType);
        Directory.CreateDirectory(dir);
        string F(string n) => Path.Combine(dir, n);
        File.WriteAllText(F("ext"), "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=emailProtection\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
        File.WriteAllText(F("ca.ext"), "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n");
        Openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", F("ca.key"));
        Openssl("req", "-new", "-key", F("ca.key"), "-subj", "/CN=PS256 Test CA", "-out", F("ca.csr"));
        Openssl("x509", "-req", "-in", F("ca.csr"), "-signkey", F("ca.key"), "-days", "30", "-extfile", F("ca.ext"), "-out", F("ca.pem"));
        Openssl("genpkey", "-algorithm", keyType, "-pkeyopt", "rsa_keygen_bits:2048", "-out", F("leaf.key"));
        Openssl("req", "-new", "-key", F("leaf.key"), "-subj", $"/CN={keyType} PS256 Signer", "-out", F("leaf.csr"));
        Openssl("x509", "-req", "-in", F("leaf.csr"), "-CA", F("ca.pem"), "-CAkey", F("ca.key"), "-CAcreateserial", "-days", "30", "-extfile", F("ext"), "-out", F("leaf.pem"));
        File.WriteAllText(F("chain.pem"), File.ReadAllText(F("leaf.pem")) + File.ReadAllText(F("ca.pem")));
        string input = fx.Save("ps256-in.jpg", fx.Input(C2paFixture.Format("jpeg")));
        string output = F("signed.jpg");
        C2paRsSigner.Sign(input, output, F("chain.pem"), F("leaf.key"), alg: "ps256");

        Assert.Empty(C2paRsResult.Read(output).RealFailures);
        var report = C2paReader.Read(File.ReadAllBytes(output), output);
        Assert.True(report.SignatureValid, report.Summary());
        Assert.True(report.Valid, report.Summary());
        Assert.Contains($"CN={keyType} PS256 Signer", report.Signer);
    }

    private static void Openssl(params string[] args)
    {
        var (exit, _, err) = ExternalTools.Run("openssl", args);
        if (exit != 0) throw new InvalidOperationException($"openssl {string.Join(' ', args)}: {err}");
    }
}
