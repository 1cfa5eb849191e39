using LabelStamp.Errors;
using LabelStamp.Media;

namespace LabelStamp.Pipeline;

/// <summary>Checks a sender's declared content type against the format sniffed from the bytes (spec §7).</summary>
public static class ContentTypes
{
    private static readonly Dictionary<string, MediaFormat> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/jpg"] = MediaFormat.Jpeg, ["image/pjpeg"] = MediaFormat.Jpeg,
        ["audio/x-wav"] = MediaFormat.Wav, ["audio/wave"] = MediaFormat.Wav, ["audio/vnd.wave"] = MediaFormat.Wav,
        ["audio/mp3"] = MediaFormat.Mp3, ["audio/x-flac"] = MediaFormat.Flac, ["audio/opus"] = MediaFormat.Ogg,
        ["audio/mp4"] = MediaFormat.Mp4, ["audio/x-m4a"] = MediaFormat.Mp4, ["video/quicktime"] = MediaFormat.Mp4,
        ["audio/webm"] = MediaFormat.Matroska, ["video/x-matroska"] = MediaFormat.Matroska, ["audio/x-matroska"] = MediaFormat.Matroska,
    };

    public static void CheckDeclared(string? declared, MediaFormat actual, string name)
    {
        if (string.IsNullOrWhiteSpace(declared) || declared.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase)) return;
        string type = declared.Split(';')[0].Trim();
        var claimed = MediaFormat.All.FirstOrDefault(f => f.ContentType.Equals(type, StringComparison.OrdinalIgnoreCase))
                      ?? Aliases.GetValueOrDefault(type);
        if (claimed != actual)
            throw new LabelStampException(ErrorCode.FormatMismatch,
                $"{name}: declared content type {type} but the bytes are {actual.Name.ToUpperInvariant()}");
    }
}
