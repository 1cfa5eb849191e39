using System.Text.Json;
using Json.Schema;
using LabelStamp.Provenance;
using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests.Contract;

/// <summary>
/// `stamp --tsa URL` time-stamps the C2PA signature through a TSA on 127.0.0.1; `verify --trust-anchors PEM` (or
/// $LABELSTAMP_TRUST_ANCHORS) judges signer and TSA: trusted with the issuing CA, untrusted with another, not
/// checked without; the JSON stays within docs/verify-report.schema.json.
/// </summary>
public sealed class C2paTimestampTrustCliTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "verify-report.schema.json")));

    [Fact]
    public void Stamp_with_tsa_then_verify_with_and_without_trust_anchors()
    {
        string dir = RepoPaths.NewTempDir();
        var factory = new CertificateFactory();
        using var ca = factory.CreateAuthority("CLI Test CA");
        using var signer = factory.CreateSigner(ca);
        using var other = factory.CreateAuthority("Other CA");
        var pem = CertificateFactory.WritePem(Path.Combine(dir, "pki"), ca, signer);
        string otherPem = Path.Combine(dir, "other.pem");
        File.WriteAllText(otherPem, other.ExportCertificatePem() + "\n");
        using var tsaCert = factory.CreateTimestampAuthority(ca);
        using var tsa = new LoopbackTsaServer(new TestTimestampAuthority(tsaCert, ca));

        string output = Path.Combine(dir, "out");
        var stamp = CliRun.Run("stamp", RepoPaths.Samples("images", "storm.jpg"), "-o", output, "--layers", "metadata,c2pa", "--explicit-waived",
            "--c2pa-chain", pem[1], "--c2pa-key", pem[2], "--tsa", tsa.Url);
        Assert.True(stamp.Code == 0, stamp.Err);
        Assert.Equal(1, tsa.Served);
        string stamped = Path.Combine(output, "storm.jpg");

        JsonElement Provenance(string json) => JsonDocument.Parse(json).RootElement[0].GetProperty("provenance").GetProperty("details");
        void SchemaValid(string json)
        {
            using var doc = JsonDocument.Parse(json);
            Assert.True(Schema.Evaluate(doc.RootElement).IsValid, json);
        }

        var trusted = CliRun.Run("verify", "--json", "--trust-anchors", pem[0], stamped);
        Assert.True(trusted.Code == 0, trusted.Err);
        SchemaValid(trusted.Out);
        var d = Provenance(trusted.Out);
        Assert.Equal("trusted", d.GetProperty("signerTrust").GetString());
        Assert.Equal("timeStamp.trusted", d.GetProperty("timestampStatus").GetString());
        Assert.Equal(JsonValueKind.True, d.GetProperty("credentialValid").ValueKind);
        var time = DateTimeOffset.Parse(d.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(time, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1));

        var unjudged = CliRun.Run("verify", "--json", stamped);
        SchemaValid(unjudged.Out);
        Assert.Equal("not-checked", Provenance(unjudged.Out).GetProperty("signerTrust").GetString());
        Assert.Equal("timeStamp.validated", Provenance(unjudged.Out).GetProperty("timestampStatus").GetString());

        // The environment variable, naming a CA that did not issue the signer: untrusted, still valid, still an AI label.
        var env = new Dictionary<string, string>(CliRun.Env) { [TrustAnchors.EnvironmentVariable] = otherPem };
        var untrusted = CliRun.RunWith(env, "verify", "--json", stamped);
        Assert.True(untrusted.Code == 0, untrusted.Err);
        SchemaValid(untrusted.Out);
        Assert.Equal("untrusted", Provenance(untrusted.Out).GetProperty("signerTrust").GetString());
        Assert.Equal(JsonValueKind.True, Provenance(untrusted.Out).GetProperty("valid").ValueKind);
        Assert.Contains("signingCredential.untrusted", Provenance(untrusted.Out).GetProperty("problems").GetString(), StringComparison.Ordinal);

        var text = CliRun.Run("verify", "--trust-anchors", pem[0], stamped);
        Assert.Contains("(trusted)", text.Out, StringComparison.Ordinal);
        Assert.Contains("time-stamped", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_tsa_url_or_anchor_file_is_one_error_line()
    {
        string dir = RepoPaths.NewTempDir();
        var badUrl = CliRun.Run("stamp", RepoPaths.Samples("images", "storm.jpg"), "-o", dir, "--layers", "metadata,c2pa", "--explicit-waived", "--tsa", "ftp://127.0.0.1/tsa");
        Assert.Equal(2, badUrl.Code);
        Assert.Contains("TSA URL", Assert.Single(CliRun.ErrorLines(badUrl.Err)), StringComparison.Ordinal);
        var noFile = CliRun.Run("verify", "--trust-anchors", Path.Combine(dir, "absent.pem"), RepoPaths.Samples("images", "storm.jpg"));
        Assert.Equal(2, noFile.Code);
        Assert.Contains("trust-anchor", Assert.Single(CliRun.ErrorLines(noFile.Err)), StringComparison.Ordinal);
    }
}
