using System.Security.Cryptography;
using System.Text;

namespace LabelStamp.Worker.Store;

/// <summary>Content IDs arrive from producers; they name store objects only after this makes them safe.</summary>
public static class ContentIds
{
    public const int MaxLength = 200;

    public static bool IsValid(string id)
    {
        if (id.Length is 0 or > MaxLength) return false;
        foreach (char c in id)
            if (c < 0x20 || c == 0x7f) return false;
        return true;
    }

    /// <summary>Keeps [A-Za-z0-9._-]; anything else (slashes, dots-only, unicode) becomes a hash so names never traverse.</summary>
    public static string ToFileName(string id)
    {
        bool plain = id.Length is > 0 and <= 120 && id[0] != '.';
        foreach (char c in id)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) { plain = false; break; }
        if (plain) return id;
        return "id-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id))[..12]);
    }
}
