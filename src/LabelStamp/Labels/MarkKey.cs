using System.Security.Cryptography;
using System.Text;
using LabelStamp.Errors;
using LabelStamp.Files;

namespace LabelStamp.Labels;

/// <summary>
/// The 256-bit watermark secret. Its bytes never leave this type except into HMAC; ToString shows only
/// the key ID (the first 4 bytes of SHA-256 of the key, hex), which is safe to log and print.
/// </summary>
public sealed class MarkKey
{
    public const int SizeBytes = 32;

    /// <summary>Largest key file read: far above any text form of 32 bytes, with whitespace and comments.</summary>
    private const int MaxKeyFileBytes = 64 << 10;

    private readonly byte[] _key;

    private MarkKey(byte[] key)
    {
        _key = key;
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(key, digest);
        KeyIdBytes = digest[..4].ToArray();
        KeyId = Convert.ToHexStringLower(KeyIdBytes);
    }

    /// <summary>Printable key ID, e.g. "3f9a0c12".</summary>
    public string KeyId { get; }

    /// <summary>The key ID's bytes; the watermark carries the low bits of the first one.</summary>
    public byte[] KeyIdBytes { get; }

    public override string ToString() => $"MarkKey(id {KeyId})";

    public static MarkKey FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length != SizeBytes)
            throw new LabelStampException(ErrorCode.KeyInvalid, $"watermark key must be {SizeBytes * 8} bits ({SizeBytes} bytes), got {key.Length} bytes");
        return new MarkKey(key.ToArray());
    }

    /// <summary>Accepts 64 hex digits or base64 of 32 bytes (white space ignored).</summary>
    public static MarkKey FromText(string text, string source)
    {
        string t = new string(text.Where(c => !char.IsWhiteSpace(c)).ToArray());
        byte[]? bytes = null;
        if (t.Length == SizeBytes * 2 && t.All(Uri.IsHexDigit)) bytes = Convert.FromHexString(t);
        else
        {
            Span<byte> buf = stackalloc byte[64];
            if (Convert.TryFromBase64String(t, buf, out int n) && n == SizeBytes) bytes = buf[..n].ToArray();
        }
        return bytes is null
            ? throw new LabelStampException(ErrorCode.KeyInvalid, $"watermark key from {source} is not 64 hex digits or base64 of 32 bytes")
            : new MarkKey(bytes);
    }

    /// <summary>Reads a key file: 32 raw bytes, or the text forms of <see cref="FromText"/>.</summary>
    public static MarkKey FromFile(string path)
    {
        if (!File.Exists(path))
            throw new LabelStampException(ErrorCode.KeyMissing, $"watermark key file {path} does not exist");
        // A key is 32 bytes or under 100 characters of text; the bound keeps a device or a huge file out.
        byte[] raw = RegularFile.ReadAll(path, MaxKeyFileBytes, followLinks: true, $"watermark key file {path}");
        return raw.Length == SizeBytes ? new MarkKey(raw) : FromText(Encoding.ASCII.GetString(raw), path);
    }

    /// <summary>A fresh random key, as text (64 hex digits) for a key file.</summary>
    public static string GenerateText() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SizeBytes));

    /// <summary>HMAC-SHA256 under this key.</summary>
    public void Mac(ReadOnlySpan<byte> data, Span<byte> mac32) => HMACSHA256.HashData(_key, data, mac32);

    /// <summary>A sub-key for one purpose (HMAC-based derivation), so the mark ID, the AIGC signature
    /// and the watermark's spreading sequences never share key material directly.</summary>
    public byte[] Derive(string purpose)
    {
        byte[] sub = new byte[32];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("labelstamp/" + purpose), sub);
        return sub;
    }
}
