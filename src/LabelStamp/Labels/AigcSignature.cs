using System.Security.Cryptography;
using System.Text;

namespace LabelStamp.Labels;

/// <summary>
/// Our integrity scheme for ReservedCode1 (TC260-PG-202511A calls such data SecurityData). Annex E
/// values may not contain '"', so the JSON object the guide sketches cannot be stored verbatim; we
/// store a compact, charset-safe token instead:
/// <c>LS1:HS256:&lt;keyId&gt;:&lt;markId&gt;:&lt;base64url(HMAC-SHA256(k, canonical))&gt;</c> where
/// k is the key derived for "aigc-signature" and canonical = Label|ContentProducer|ProduceID|markId.
/// The propagator fields are not covered: a platform adds them later (and may sign them in ReservedCode2).
/// </summary>
public static class AigcSignature
{
    public const string Type = "LS1";
    public const string Algorithm = "HS256";

    public static string Create(MarkKey key, AigcLabel label, MarkId markId) =>
        $"{Type}:{Algorithm}:{key.KeyId}:{markId}:{Mac(key, label, markId)}";

    /// <summary>Checks a ReservedCode1 token against the label and key. Returns the mark ID it names when valid.</summary>
    public static AigcSignatureCheck Check(MarkKey? key, AigcLabel label)
    {
        string[] parts = label.ReservedCode1.Split(':');
        if (parts.Length != 5 || parts[0] != Type || parts[1] != Algorithm)
            return new AigcSignatureCheck(AigcSignatureStatus.Absent, null, null);
        MarkId? markId = ulong.TryParse(parts[3], System.Globalization.NumberStyles.HexNumber,
            System.Globalization.CultureInfo.InvariantCulture, out ulong v) ? new MarkId(v) : null;
        if (markId is null) return new AigcSignatureCheck(AigcSignatureStatus.Malformed, parts[2], null);
        if (key is null || key.KeyId != parts[2]) return new AigcSignatureCheck(AigcSignatureStatus.UnknownKey, parts[2], markId);
        bool ok = CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Mac(key, label, markId.Value)), Encoding.ASCII.GetBytes(parts[4]));
        return new AigcSignatureCheck(ok ? AigcSignatureStatus.Valid : AigcSignatureStatus.Invalid, parts[2], markId);
    }

    private static string Mac(MarkKey key, AigcLabel label, MarkId markId) =>
        Mac(key, "aigc-signature", $"{label.Label}|{label.ContentProducer}|{label.ProduceID}|{markId}");

    /// <summary>base64url(HMAC-SHA256(key derived for <paramref name="purpose"/>, canonical)): Annex E's charset allows it verbatim.</summary>
    internal static string Mac(MarkKey key, string purpose, string canonical)
    {
        byte[] mac = HMACSHA256.HashData(key.Derive(purpose), Encoding.UTF8.GetBytes(canonical));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}

public enum AigcSignatureStatus { Absent, Malformed, UnknownKey, Invalid, Valid }

public sealed record AigcSignatureCheck(AigcSignatureStatus Status, string? KeyId, MarkId? MarkId);
