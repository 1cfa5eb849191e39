using System.Security.Cryptography;

namespace LabelStamp.Provenance.Validation;

/// <summary>
/// Hashes each box at most once per algorithm. A claim may name the same box many times, or a box and
/// the boxes inside it; hashing on every reference would cost references × bytes, not bytes.
/// </summary>
internal sealed class DigestCache
{
    private readonly Dictionary<(JumbfBox Box, HashAlgorithmName Alg), (byte[] Whole, byte[]? Body)> _digests = [];

    public bool Matches(JumbfBox box, byte[] expected, HashAlgorithmName h)
    {
        if (!_digests.TryGetValue((box, h), out var d))
        {
            var raw = box.RawBytes.Span;
            // C2PA hashes the assertion's superbox; some writers hash it without its 8-byte header, so accept both.
            d = (C2paHashes.Digest(h, raw), raw.Length > 8 ? C2paHashes.Digest(h, raw[8..]) : null);
            _digests[(box, h)] = d;
        }
        return d.Whole.AsSpan().SequenceEqual(expected) || (d.Body is not null && d.Body.AsSpan().SequenceEqual(expected));
    }
}
