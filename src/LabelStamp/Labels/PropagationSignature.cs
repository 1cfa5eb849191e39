using System.Security.Cryptography;
using System.Text;

namespace LabelStamp.Labels;

/// <summary>
/// A platform's integrity token for ReservedCode2, the counterpart of <see cref="AigcSignature"/>:
/// <c>LS1P:HS256:&lt;keyId&gt;:&lt;base64url(HMAC-SHA256(k, canonical))&gt;</c> with k the platform key
/// derived for "aigc-propagation" and canonical = Label|ContentProducer|ProduceID|ReservedCode1|
/// ContentPropagator|PropagateID. It covers the whole record as the platform published it, the
/// provider's ReservedCode1 included, so neither the provider's nor the platform's fields can be edited
/// afterwards without the platform noticing; the provider's own signature stays checkable on its own.
/// </summary>
public static class PropagationSignature
{
    public const string Type = "LS1P";

    public static string Create(MarkKey key, AigcLabel label) =>
        $"{Type}:{AigcSignature.Algorithm}:{key.KeyId}:{Mac(key, label)}";

    /// <summary>Checks ReservedCode2 against the record and the platform key (the mark ID slot of the result is unused).</summary>
    public static AigcSignatureCheck Check(MarkKey? key, AigcLabel label)
    {
        string[] parts = label.ReservedCode2.Split(':');
        if (parts.Length != 4 || parts[0] != Type || parts[1] != AigcSignature.Algorithm)
            return new AigcSignatureCheck(AigcSignatureStatus.Absent, null, null); // empty, or another platform's own scheme
        if (key is null || key.KeyId != parts[2]) return new AigcSignatureCheck(AigcSignatureStatus.UnknownKey, parts[2], null);
        bool ok = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(key, label)), Encoding.ASCII.GetBytes(parts[3]));
        return new AigcSignatureCheck(ok ? AigcSignatureStatus.Valid : AigcSignatureStatus.Invalid, parts[2], null);
    }

    private static string Mac(MarkKey key, AigcLabel label) => AigcSignature.Mac(key, "aigc-propagation",
        $"{label.Label}|{label.ContentProducer}|{label.ProduceID}|{label.ReservedCode1}|{label.ContentPropagator}|{label.PropagateID}");
}
