using LabelStamp.Errors;
using LabelStamp.Media;

namespace LabelStamp.Pipeline;

/// <summary>Checks a sender's declared content type against the format sniffed from the bytes (spec §7); each format module
/// lists the aliases senders use.</summary>
public static class ContentTypes
{
    public static void CheckDeclared(string? declared, MediaFormat actual, string name)
    {
        if (string.IsNullOrWhiteSpace(declared) || declared.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase)) return;
        string type = declared.Split(';')[0].Trim();
        var claimed = MediaFormat.All.FirstOrDefault(f => f.ContentType.Equals(type, StringComparison.OrdinalIgnoreCase))
                      ?? MediaCatalog.Formats.FirstOrDefault(m => m.ContentTypeAliases.Any(a => a.Equals(type, StringComparison.OrdinalIgnoreCase)))?.Format;
        if (claimed != actual)
            throw new LabelStampException(ErrorCode.FormatMismatch,
                $"{name}: declared content type {type} but the bytes are {actual.Name.ToUpperInvariant()}");
    }
}
