using System.Security.Cryptography;
using LabelStamp.Errors;
using LabelStamp.Pipeline;

namespace LabelStamp.Provenance.Validation;

/// <summary>The hash algorithms C2PA allows and the bound shared by every hard binding's exclusion list.</summary>
internal static class C2paHashes
{
    /// <summary>The hash algorithms C2PA allows for hashes (§13.1): SHA2-256, -384, -512; null for any other or none.</summary>
    public static HashAlgorithmName? Algorithm(string? alg) => alg switch
    {
        "sha256" => HashAlgorithmName.SHA256,
        "sha384" => HashAlgorithmName.SHA384,
        "sha512" => HashAlgorithmName.SHA512,
        _ => null,
    };

    public static byte[] Digest(HashAlgorithmName h, ReadOnlySpan<byte> data) =>
        h == HashAlgorithmName.SHA384 ? SHA384.HashData(data) : h == HashAlgorithmName.SHA512 ? SHA512.HashData(data) : SHA256.HashData(data);

    public static void CheckExclusionCount(int count, MetadataLimits limits, string name)
    {
        if (count > limits.MaxHashExclusions)
            throw ManifestErrors.TooLarge(name, $"hard binding lists more than {limits.MaxHashExclusions} exclusions and exclusion entries (Limits:Metadata:MaxHashExclusions)");
    }
}
