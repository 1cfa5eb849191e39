using System.Text;
using LabelStamp.Errors;

namespace LabelStamp.Media;

/// <summary>
/// Decides the format from the first bytes alone: never from a file name or a header someone sent.
/// Text formats that make ffmpeg open other files or URLs (HLS/M3U playlists, ffconcat, SDP, …) are
/// recognised on purpose and refused as hostile, whatever they are named.
/// </summary>
public static class MediaSniffer
{
    private static readonly string[] HostileTextPrefixes =
        ["#EXTM3U", "#EXT-X-", "ffconcat", "file ", "file '", "v=0", "[playlist]", "<?xml", "<MPD", "<smil", "#!"];

    /// <summary>Returns the format, or throws a typed error for empty, unknown or hostile input.</summary>
    public static MediaFormat Sniff(ReadOnlySpan<byte> head, string name)
    {
        if (head.IsEmpty) throw new LabelStampException(ErrorCode.EmptyInput, $"{name}: file is empty");
        var format = TrySniff(head);
        if (format is not null) return format;
        if (LooksLikeHostileText(head))
            throw new LabelStampException(ErrorCode.HostileInput,
                $"{name}: a playlist or ffmpeg script, not media; refused because it would make a decoder open other files or URLs");
        throw new LabelStampException(ErrorCode.UnsupportedFormat,
            $"{name}: not a supported format ({string.Join(", ", Pipeline.MediaCatalog.Formats.Where(m => m.Supported).Select(m => m.DisplayName))})");
    }

    /// <summary>The first registered format module whose signature matches (<see cref="Pipeline.MediaCatalog.Formats"/>).</summary>
    public static MediaFormat? TrySniff(ReadOnlySpan<byte> b)
    {
        foreach (var module in Pipeline.MediaCatalog.Formats)
            if (module.Matches(b)) return module.Format;
        return null;
    }

    private static bool LooksLikeHostileText(ReadOnlySpan<byte> head)
    {
        var slice = head[..Math.Min(head.Length, 256)];
        if (slice.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) slice = slice[3..]; // UTF-8 BOM
        string text = Encoding.UTF8.GetString(slice).TrimStart();
        return HostileTextPrefixes.Any(p => text.StartsWith(p, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Refuses a file whose extension names a different format than its bytes (spec §10).</summary>
    public static void CheckExtension(MediaFormat format, string path)
    {
        string ext = Path.GetExtension(path);
        if (ext.Length == 0 || format.MatchesExtension(ext)) return;
        var claimed = MediaFormat.All.FirstOrDefault(f => f.MatchesExtension(ext));
        if (claimed is not null)
            throw new LabelStampException(ErrorCode.FormatMismatch,
                $"{Path.GetFileName(path)}: named {ext} but the bytes are {format.Name.ToUpperInvariant()}; rename it or fix the producer");
    }
}
