using LabelStamp.Labels;

namespace LabelStamp.Marks.Payload;

/// <summary>
/// What a watermark carries (spec §5): the 64-bit mark ID, a 4-bit format version and the low 4 bits
/// of the key ID's first byte, so a verifier holding several keys can tell which one marked the file.
/// </summary>
public readonly record struct MarkPayload
{
    /// <summary>The payload layout version written by this code.</summary>
    public const byte CurrentVersion = 1;

    public MarkPayload(MarkId markId, byte version, byte keyNibble)
    {
        if (version > 15) throw new ArgumentOutOfRangeException(nameof(version), "version is 4 bits (0-15)");
        if (keyNibble > 15) throw new ArgumentOutOfRangeException(nameof(keyNibble), "key nibble is 4 bits (0-15)");
        MarkId = markId;
        Version = version;
        KeyNibble = keyNibble;
    }

    public MarkId MarkId { get; }
    public byte Version { get; }
    public byte KeyNibble { get; }

    /// <summary>The payload for a mark ID under a key: current version, key nibble from the key ID.</summary>
    public static MarkPayload For(MarkId markId, MarkKey key) =>
        new(markId, CurrentVersion, KeyNibbleOf(key));

    /// <summary>The 4 key-ID bits a payload made with this key carries.</summary>
    public static byte KeyNibbleOf(MarkKey key) => (byte)(key.KeyIdBytes[0] & 0x0F);

    public override string ToString() => $"{MarkId} v{Version} key-nibble {KeyNibble:x}";
}
