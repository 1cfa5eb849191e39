using System.Security.Cryptography.X509Certificates;
using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Provenance;
using LabelStamp.TestSupport;

namespace LabelStamp.Tests.Provenance;

/// <summary>
/// RFC 3161 time-stamps on the claim signature (C2PA 2.x sigTst2), against a TSA of our own served over HTTP on
/// 127.0.0.1: written by stamp, validated by verify (signature, imprint, TSA chain), accepted by c2pa-rs, and used
/// to judge a signing certificate at the time it signed.
/// </summary>
public sealed class C2paTimestampTests(C2paFixture fx) : IClassFixture<C2paFixture>
{
    private (LoopbackTsaServer Server, X509Certificate2 TsaCert) StartTsa(X509Certificate2 ca, Func<DateTimeOffset>? clock = null, CertificateFactory? factory = null)
    {
        var cert = (factory ?? fx.Factory).CreateTimestampAuthority(ca);
        var tsa = new TestTimestampAuthority(cert, ca) { Clock = clock ?? (() => DateTimeOffset.UtcNow) };
        return (new LoopbackTsaServer(tsa), cert);
    }

    private static C2paProvenanceWriter Writer(SigningCredentials signer, string tsaUrl) =>
        new(new C2paOptions(signer) { TimestampAuthority = HttpTimestampAuthority.Create(tsaUrl, TimeSpan.FromSeconds(20), "test") });

    [Theory]
    [InlineData("jpeg")]
    [InlineData("wav")]
    [InlineData("mp4")]
    public void AStampedFileCarriesAV2TimeStampThatVerifyValidatesAndC2paRsAccepts(string format)
    {
        var (server, tsaCert) = StartTsa(fx.Authority);
        using var _ = server;
        using var __ = tsaCert;
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        string name = "tsa." + format;
        byte[] output = Writer(fx.Signer, server.Url).Write(fx.Input(format), fx.Context(C2paFixture.Format(format), name));
        Assert.Equal(1, server.Served);

        var report = C2paReader.Read(output, name);
        Assert.True(report.Valid, report.Summary());
        Assert.Equal(1, report.TimestampTokens);
        Assert.Equal(TimestampCheck.Validated, report.TimestampStatus);
        Assert.Equal("CN=LabelStamp Test TSA, O=LabelStamp", report.TimestampAuthority);
        Assert.InRange(report.Timestamp!.Value, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(SignerTrust.NotChecked, report.SignerTrust);

        // Given the CA that issued the TSA certificate as anchor, the token is trusted; given another CA, not.
        Assert.Equal(TimestampCheck.Trusted, C2paReader.Read(output, name, anchors: new TrustAnchors([fx.Authority])).TimestampStatus);
        using var stranger = fx.Factory.CreateAuthority("Unrelated CA");
        var foreign = C2paReader.Read(output, name, anchors: new TrustAnchors([stranger]));
        Assert.Equal(TimestampCheck.Untrusted, foreign.TimestampStatus);

        // c2pa-rs: no failure but the untrusted test signer, and its own time-stamp codes say it read the token.
        var rs = C2paRsResult.Read(fx.Save(name, output));
        Assert.True(rs.Present, rs.Raw);
        Assert.Empty(rs.RealFailures);
        Assert.Contains("claimSignature.validated", rs.Success);
        Assert.Contains("timeStamp.validated", rs.Success);
        Assert.Contains("timeStamp.untrusted", rs.Informational);
        Assert.DoesNotContain(rs.Failure, f => f.StartsWith("timeStamp.", StringComparison.Ordinal));
    }

    [Fact]
    public void ATokenOverOtherBytesIsAMismatchAndGarbageIsMalformed()
    {
        var cert = fx.Factory.CreateTimestampAuthority(fx.Authority);
        var tsa = new TestTimestampAuthority(cert, fx.Authority);
        byte[] covered = TimestampRequest.CounterSignatureStructure([0xA0], [1, 2, 3]);
        var request = TimestampRequest.Create(covered);
        byte[] token = TimestampRequest.TokenFromResponse(request, tsa.Timestamp(request.Encode()), tsa.Name);
        Assert.Equal(TimestampCheck.Validated, TimestampVerifier.Verify(token, covered, null).Status);
        Assert.Equal(TimestampCheck.Mismatch, TimestampVerifier.Verify(token, TimestampRequest.CounterSignatureStructure([0xA0], [1, 2, 4]), null).Status);
        // One flipped byte inside the CMS signature value (the last bytes of the token).
        byte[] tampered = (byte[])token.Clone();
        tampered[^3] ^= 0x40;
        Assert.NotEqual(TimestampCheck.Validated, TimestampVerifier.Verify(tampered, covered, null).Status);
        Assert.Equal(TimestampCheck.Malformed, TimestampVerifier.Verify([0x30, 0x03, 0x02, 0x01, 0x00], covered, null).Status);
        Assert.Equal(TimestampCheck.Malformed, TimestampVerifier.Verify([0xFF, 0xFF], covered, null).Status);
    }

    /// <summary>A signing certificate that expired after it signed: with a time-stamp from when it was valid (and the TSA
    /// trusted) the manifest is valid; without one it is judged at now and expired.</summary>
    [Fact]
    public void AnExpiredSignerIsValidAtAnEarlierTrustedTimeStampAndExpiredWithout()
    {
        // Everything made "three years ago": the signer's two years of life ended a year ago.
        var past = new CertificateFactory(new ShiftedClock(TimeSpan.FromDays(-3 * 365)));
        using var ca = past.CreateAuthority("Past CA");
        using var signer = past.CreateSigner(ca, "Past Signer");
        Assert.True(signer.Leaf.NotAfter < DateTime.Now);
        var signedAt = DateTimeOffset.UtcNow.AddDays(-2 * 365);
        var (server, tsaCert) = StartTsa(ca, () => signedAt, past);
        using var _ = server;
        using var __ = tsaCert;
        var anchors = new TrustAnchors([ca]);

        byte[] stamped = Writer(signer, server.Url).Write(fx.Input("jpeg"), fx.Context(MediaFormat.Jpeg, "expired-tsa.jpg"));
        var report = C2paReader.Read(stamped, "expired-tsa.jpg", anchors: anchors);
        Assert.Equal(TimestampCheck.Trusted, report.TimestampStatus);
        Assert.True(report.CredentialValid, report.Summary());
        Assert.True(report.Valid, report.Summary());
        Assert.Equal(SignerTrust.Trusted, report.SignerTrust);

        byte[] bare = new C2paProvenanceWriter(new C2paOptions(signer)).Write(fx.Input("jpeg"), fx.Context(MediaFormat.Jpeg, "expired.jpg"));
        var without = C2paReader.Read(bare, "expired.jpg", anchors: anchors);
        Assert.False(without.Valid);
        Assert.Contains(without.Problems, p => p.StartsWith("signingCredential.expired", StringComparison.Ordinal));
    }

    [Fact]
    public void ATsaThatFailsOrCannotBeReachedIsATypedSigningError()
    {
        var (server, tsaCert) = StartTsa(fx.Authority);
        using var _ = tsaCert;
        string url = server.Url;
        var ctx = fx.Context(MediaFormat.Jpeg, "tsa-down.jpg");
        using (server)
        {
            server.FailWith = 503;
            var e = Assert.Throws<LabelStampException>(() => Writer(fx.Signer, url).Write(fx.Input("jpeg"), ctx));
            Assert.Equal(ErrorCode.SigningFailed, e.Code);
            Assert.Contains("503", e.Message, StringComparison.Ordinal);
        }
        var down = Assert.Throws<LabelStampException>(() => Writer(fx.Signer, url).Write(fx.Input("jpeg"), ctx));
        Assert.Equal(ErrorCode.SigningFailed, down.Code);
        var bad = Assert.Throws<LabelStampException>(() => HttpTimestampAuthority.Create("file:///etc/passwd", TimeSpan.FromSeconds(1), "--tsa"));
        Assert.Equal(ErrorCode.InvalidArgument, bad.Code);
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
    }
}
