namespace LabelStamp.Media;

/// <summary>A container format recognised from its bytes, with the names the rest of the product needs.</summary>
public sealed record MediaFormat(string Name, MediaKind Kind, string ContentType, string Extension, string[] OtherExtensions)
{
    public static readonly MediaFormat Jpeg = new("jpeg", MediaKind.Image, "image/jpeg", ".jpg", [".jpeg", ".jpe", ".jfif"]);
    public static readonly MediaFormat Png = new("png", MediaKind.Image, "image/png", ".png", []);
    public static readonly MediaFormat WebP = new("webp", MediaKind.Image, "image/webp", ".webp", []);
    public static readonly MediaFormat Wav = new("wav", MediaKind.Audio, "audio/wav", ".wav", [".wave"]);
    public static readonly MediaFormat Mp3 = new("mp3", MediaKind.Audio, "audio/mpeg", ".mp3", []);
    public static readonly MediaFormat Flac = new("flac", MediaKind.Audio, "audio/flac", ".flac", []);
    public static readonly MediaFormat Ogg = new("ogg", MediaKind.Audio, "audio/ogg", ".ogg", [".oga", ".opus"]);
    /// <summary>ISO BMFF: MP4, MOV, M4A. Whether it holds video or only audio is decided by its tracks.</summary>
    public static readonly MediaFormat Mp4 = new("mp4", MediaKind.Video, "video/mp4", ".mp4", [".m4v", ".mov", ".m4a", ".3gp"]);
    public static readonly MediaFormat Matroska = new("matroska", MediaKind.Video, "video/webm", ".webm", [".mkv", ".mka"]);

    /// <summary>Every registered format (<see cref="Pipeline.MediaCatalog.Formats"/>).</summary>
    public static IReadOnlyList<MediaFormat> All => Pipeline.MediaCatalog.AllFormats;

    public bool MatchesExtension(string extension) =>
        string.Equals(extension, Extension, StringComparison.OrdinalIgnoreCase)
        || OtherExtensions.Any(e => string.Equals(e, extension, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => Name;
}
