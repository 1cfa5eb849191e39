using System.Security.Cryptography;
using System.Text;
using LabelStamp.Provenance;

namespace LabelStamp.Tests.Provenance;

public sealed class DeterministicEcdsaTests
{
    // RFC 6979 Appendix A.2.5: the P-256 key pair and its SHA-256 signatures of the ASCII messages "sample" and "test".
    private const string D = "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721";
    private const string Ux = "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6";
    private const string Uy = "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299";

    private static ECDsa RfcKey() => ECDsa.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        D = Convert.FromHexString(D),
        Q = new ECPoint { X = Convert.FromHexString(Ux), Y = Convert.FromHexString(Uy) },
    });

    [Theory]
    [InlineData("sample", "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716", "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8")]
    [InlineData("test", "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367", "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083")]
    public void SignsTheRfc6979VectorsExactly(string message, string r, string s)
    {
        using var key = RfcKey();
        using var signer = DeterministicEcdsa.TryCreate(key)!;
        byte[] signature = signer.SignHash(SHA256.HashData(Encoding.ASCII.GetBytes(message)));
        Assert.Equal(r + s, Convert.ToHexString(signature));
    }

    [Fact]
    public void SignsTheSameDataTheSameWay_AndEveryVerifierAcceptsIt()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var signer = DeterministicEcdsa.TryCreate(key)!;
        byte[] data = Encoding.UTF8.GetBytes("a claim");
        byte[] first = signer.SignData(data, HashAlgorithmName.SHA256);
        Assert.Equal(first, signer.SignData(data, HashAlgorithmName.SHA256));
        Assert.NotEqual(first, signer.SignData(Encoding.UTF8.GetBytes("another claim"), HashAlgorithmName.SHA256));
        // The wrapped key (OpenSSL) verifies it as any ECDSA signature, and a flipped bit fails.
        Assert.True(key.VerifyData(data, first, HashAlgorithmName.SHA256));
        first[5] ^= 1;
        Assert.False(key.VerifyData(data, first, HashAlgorithmName.SHA256));
    }

    [Fact]
    public void APublicOnlyKeyHasNoDeterministicSigner()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var publicOnly = ECDsa.Create(key.ExportParameters(includePrivateParameters: false));
        Assert.Null(DeterministicEcdsa.TryCreate(publicOnly));
    }
}
