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
            $"{name}: not a supported format (JPEG, PNG, WebP, WAV, MP3, FLAC, Ogg, MP4/MOV/M4A, WebM/MKV)");
    }

    public static MediaFormat? TrySniff(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return MediaFormat.Jpeg;
        if (b.StartsWith(Metadata.Containers.PngFile.Signature)) return MediaFormat.Png;
        if (b.Length >= 12 && b.StartsWith("RIFF"u8))
        {
            if (b.Slice(8, 4).SequenceEqual("WEBP"u8)) return MediaFormat.WebP;
            if (b.Slice(8, 4).SequenceEqual("WAVE"u8)) return MediaFormat.Wav;
            return null;
        }
        if (b.StartsWith("RF64"u8) && b.Length >= 12 && b.Slice(8, 4).SequenceEqual("WAVE"u8)) return MediaFormat.Wav;
        if (b.StartsWith("fLaC"u8)) return MediaFormat.Flac;
        if (b.StartsWith("OggS"u8)) return MediaFormat.Ogg;
        if (b.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3])) return MediaFormat.Matroska; // EBML magic
        if (b.Length >= 12 && b.Slice(4, 4).SequenceEqual("ftyp"u8)) return MediaFormat.Mp4;
        if (b.StartsWith("ID3"u8)) return MediaFormat.Mp3;
        // A bare MPEG audio frame: 11 sync bits, a valid version/layer, a bitrate index that is not "bad".
        if (b.Length >= 4 && b[0] == 0xFF && (b[1] & 0xE0) == 0xE0 && (b[1] & 0x18) != 0x08 && (b[1] & 0x06) != 0
            && (b[2] & 0xF0) != 0xF0 && (b[2] & 0x0C) != 0x0C)
            return MediaFormat.Mp3;
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
