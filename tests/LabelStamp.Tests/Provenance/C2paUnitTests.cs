using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LabelStamp.Errors;
using LabelStamp.Metadata.Containers;
using LabelStamp.Provenance;

namespace LabelStamp.Tests.Provenance;

public sealed class C2paUnitTests
{
    [Fact]
    public void SignerCertificateHasTheC2paProfile()
    {
        var factory = new CertificateFactory();
        using var ca = factory.CreateAuthority();
        using var signer = factory.CreateSigner(ca);
        var leaf = signer.Leaf;
        var ku = leaf.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.True(ku.Critical);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, ku.KeyUsages);
        var eku = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).ToList();
        Assert.Contains("1.3.6.1.5.5.7.3.4", eku);
        Assert.Contains("1.3.6.1.4.1.62558.2.1", eku);
        var aki = leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single();
        var caSki = ca.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single();
        Assert.Equal(caSki.SubjectKeyIdentifierBytes.ToArray(), aki.KeyIdentifier!.Value.ToArray());
        Assert.Single(leaf.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        Assert.Equal("1.2.840.10045.2.1", leaf.PublicKey.Oid.Value);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(leaf), string.Join(",", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public void PemFilesRoundTripAndTheKeyFileIsPrivate()
    {
        var factory = new CertificateFactory();
        using var ca = factory.CreateAuthority();
        using var signer = factory.CreateSigner(ca);
        string dir = Path.Combine(Path.GetTempPath(), "ls-keys-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var files = CertificateFactory.WritePem(dir, ca, signer);
            Assert.Equal(["ca.pem", "signer.pem", "signer.key"], files.Select(Path.GetFileName));
            using var loaded = SigningCredentials.LoadPem(files[1], files[2]);
            Assert.Equal(signer.Leaf.Thumbprint, loaded.Leaf.Thumbprint);
            Assert.Single(loaded.Chain);
            Assert.DoesNotContain("PRIVATE", loaded.ToString());
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files[2]));
            var wrongKey = Path.Combine(dir, "wrong.key");
            using (var other = ECDsa.Create(ECCurve.NamedCurves.nistP256)) File.WriteAllText(wrongKey, other.ExportPkcs8PrivateKeyPem());
            var e = Assert.Throws<LabelStampException>(() => SigningCredentials.LoadPem(files[1], wrongKey));
            Assert.Equal(ErrorCode.KeyInvalid, e.Code);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void TimestampRequestIsDerWithTheSha256ImprintAPositiveNonceAndCertReq()
    {
        byte[] message = TimestampRequest.CounterSignatureStructure([0xA1, 0x01, 0x26], new byte[64]);
        // Random nonces: 64 requests, so a nonce that would start with 0x00 or 0x80 turns up unless prevented.
        for (int i = 0; i < 64; i++)
        {
            byte[] der = TimestampRequest.Create(message).Encode();
            var seq = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            Assert.True(seq.TryReadInt32(out int version) && version == 1);
            var imprint = seq.ReadSequence();
            var alg = imprint.ReadSequence();
            Assert.Equal("2.16.840.1.101.3.4.2.1", alg.ReadObjectIdentifier());
            Assert.Equal(SHA256.HashData(message), imprint.ReadOctetString());
            Assert.True(seq.ReadInteger() > 0);
            Assert.True(seq.ReadBoolean());
            Assert.False(seq.HasData);
        }
        // ["CounterSignature", protected, h'', bstr(signature)] as COSE defines the countersignature input.
        Assert.Equal(0x84, message[0]);
    }

    [Fact]
    public void JumbfRoundTripsThroughParse()
    {
        var box = JumbfBox.Super(C2paIds.ManifestStoreUuid, "c2pa",
            JumbfBox.Super(C2paIds.ManifestUuid, "urn:c2pa:x", JumbfBox.Content("cbor", [0xA0])));
        var bytes = box.ToArray();
        var parsed = JumbfBox.Parse(bytes, "t");
        Assert.Equal("c2pa", parsed.Label);
        Assert.Equal("urn:c2pa:x", parsed.Children[0].Label);
        Assert.Equal([0xA0], parsed.Children[0].Children[0].Data);
        Assert.Equal(bytes, parsed.RawBytes.ToArray());
        Assert.Throws<LabelStampException>(() => JumbfBox.Parse(bytes[..^3], "t"));
    }

    [Fact]
    public void AStoreLargerThanOneSegmentIsSplitAcrossSequencedApp11Segments()
    {
        var big = new byte[150_000];
        RandomNumberGenerator.Fill(big);
        var store = JumbfBox.Super(C2paIds.ManifestStoreUuid, "c2pa", JumbfBox.Content("cbor", big)).ToArray();
        var jpeg = File.ReadAllBytes(C2paFixture.Sample("ladybird.jpg"));
        var container = new JpegManifestContainer();
        var placed = container.Embed(jpeg, store, "big.jpg");
        var segments = JpegFile.Parse(placed.File, "big.jpg").Segments.Where(s => s.Marker == JpegSegment.App11).ToList();
        Assert.Equal(3, segments.Count);
        for (int i = 0; i < segments.Count; i++)
        {
            var p = segments[i].Payload.Span;
            Assert.True(p.StartsWith("JP"u8));
            Assert.Equal(i + 1, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(p[4..]));
            Assert.True(p.Slice(12, 4).SequenceEqual("jumb"u8));
        }
        Assert.Equal(store, container.Extract(placed.File, "big.jpg"));
        var exclusion = Assert.Single(placed.Exclusions);
        Assert.Equal(segments.Sum(s => 4L + s.Payload.Length), exclusion.Length);
        Assert.Equal(0xFF, placed.File[exclusion.Start]);
        Assert.Equal(0xEB, placed.File[exclusion.Start + 1]);
        // Embedding again replaces the store instead of adding a second one.
        var again = container.Embed(placed.File, store, "big.jpg");
        Assert.Equal(placed.File.Length, again.File.Length);
    }

    [Fact]
    public void ATimestampTokenIsRequestedOverTheSignatureAndFitsTheReservedSpace()
    {
        var factory = new CertificateFactory();
        using var ca = factory.CreateAuthority();
        using var signer = factory.CreateSigner(ca);
        using var tsaCert = factory.CreateTimestampAuthority(ca);
        var tsa = new RecordingTimestampAuthority(new global::LabelStamp.TestSupport.TestTimestampAuthority(tsaCert, ca));
        var writer = new C2paProvenanceWriter(new C2paOptions(signer) { TimestampAuthority = tsa });
        var key = LabelStamp.Labels.MarkKey.FromBytes(RandomNumberGenerator.GetBytes(32));
        var aigc = new LabelStamp.Labels.AigcLabel("1", "001191234567890123456700001", "tsa-1");
        var ctx = new LabelStamp.Pipeline.StampContext("tsa.jpg", LabelStamp.Media.MediaFormat.Jpeg,
            new LabelStamp.Pipeline.StampRequest("tsa-1", aigc.ContentProducer, new LabelStamp.Labels.LabelPolicy()), key,
            LabelStamp.Labels.MarkId.Compute(key, aigc.ContentProducer, "tsa-1"), aigc, new LabelStamp.Pipeline.MediaLimits(), new LabelStamp.Pipeline.StageTimings());
        var output = writer.Write(File.ReadAllBytes(C2paFixture.Sample("ladybird.jpg")), ctx);

        // One TSA call per file: the sizing passes do not call out.
        var request = Assert.Single(tsa.Requests);
        var report = C2paReader.Read(output, "tsa.jpg");
        Assert.True(report.Valid, report.Summary());
        Assert.Equal(1, report.TimestampTokens);
        Assert.Equal(TimestampCheck.Validated, report.TimestampStatus);

        // The imprint is SHA-256 of ["CounterSignature", protected, h'', bstr(signature)], and sigTst2 holds the
        // token alone (a CMS ContentInfo), not the TSA's whole reply.
        var store = JumbfBox.Parse(new JpegManifestContainer().Extract(output, "tsa.jpg")!, "tsa.jpg");
        var cose = store.Children[^1].Child(C2paIds.SignatureLabel)!.Children[0].Data;
        var message = System.Security.Cryptography.Cose.CoseMessage.DecodeSign1(cose);
        var imprint = SHA256.HashData(TimestampRequest.CounterSignatureStructure(message.RawProtectedHeaders.Span, message.Signature.Span));
        var seq = new AsnReader(request, AsnEncodingRules.DER).ReadSequence();
        seq.ReadInteger();
        var mi = seq.ReadSequence();
        mi.ReadSequence();
        Assert.Equal(imprint, mi.ReadOctetString());
        var sigTst2 = message.UnprotectedHeaders[new System.Security.Cryptography.Cose.CoseHeaderLabel("sigTst2")];
        var container = new System.Formats.Cbor.CborReader(sigTst2.EncodedValue);
        container.ReadStartMap();
        Assert.Equal("tstTokens", container.ReadTextString());
        container.ReadStartArray();
        container.ReadStartMap();
        Assert.Equal("val", container.ReadTextString());
        var token = container.ReadByteString();
        Assert.Equal("1.2.840.113549.1.7.2", new AsnReader(token, AsnEncodingRules.DER).ReadSequence().ReadObjectIdentifier());

        var tooSmall = new C2paProvenanceWriter(new C2paOptions(signer) { TimestampAuthority = tsa, TimestampReserve = 300 });
        var e = Assert.Throws<LabelStampException>(() => tooSmall.Write(File.ReadAllBytes(C2paFixture.Sample("ladybird.jpg")), ctx));
        Assert.Equal(ErrorCode.SigningFailed, e.Code);
    }

    /// <summary>Passes requests to a real (test) TSA and keeps each request for inspection.</summary>
    private sealed class RecordingTimestampAuthority(ITimestampAuthority inner) : ITimestampAuthority
    {
        public List<byte[]> Requests { get; } = [];

        public string Name => inner.Name;

        public byte[] Timestamp(byte[] timeStampRequest)
        {
            Requests.Add(timeStampRequest);
            return inner.Timestamp(timeStampRequest);
        }
    }
}
