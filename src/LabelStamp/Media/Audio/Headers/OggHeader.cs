using System.Buffers.Binary;

namespace LabelStamp.Media.Audio.Headers;

/// <summary>
/// Ogg Vorbis and Ogg Opus (RFC 3533 pages, RFC 7845 for Opus): the identification packet gives the
/// channels and rate (Opus always decodes at 48 kHz) and, for Vorbis, the nominal bitrate; the comment
/// packet the tags; the last page's granule position the length, as ffmpeg reads it (samples at the
/// output rate, Opus's pre-skip included). A file with more than one logical stream (a skeleton, a
/// chained file) is left to ffprobe.
/// </summary>
public static class OggHeader
{
    /// <summary>How far from the end the last page is looked for (a page is at most 65,307 bytes).</summary>
    private const int TailBytes = 1 << 17;

    public static AudioStreamInfo? TryRead(ReadOnlySpan<byte> file, string name)
    {
        if (!file.StartsWith("OggS"u8)) return null;
        var packets = new List<byte[]>();
        var partial = new List<byte>();
        uint serial = 0;
        int at = 0;
        // The identification and comment packets lead the stream (RFC 7845 §3, Vorbis I §4.2): read pages
        // until both are whole.
        while (packets.Count < 2)
        {
            if (!Page(file, at, name, out var page)) throw AudioHeader.Truncated(name, "the Ogg header pages");
            if (at == 0) serial = page.Serial;
            else if (page.Serial != serial || (page.Flags & 2) != 0) return null; // another logical stream
            int body = page.BodyStart;
            foreach (int lace in page.Laces(file))
            {
                partial.AddRange(file.Slice(body, lace));
                body += lace;
                if (lace < 255) { packets.Add([.. partial]); partial.Clear(); }
            }
            if (partial.Count > 1 << 24) throw AudioHeader.Corrupt(name, "Ogg comment packet is absurdly long");
            at = page.End;
        }

        byte[] id = packets[0], comments = packets[1];
        string codec;
        int rate, channels;
        long bitRate = 0;
        Dictionary<string, string>? tags;
        if (id.Length >= 30 && id.AsSpan().StartsWith("\x01vorbis"u8))
        {
            codec = "vorbis";
            channels = id[11];
            rate = BinaryPrimitives.ReadInt32LittleEndian(id.AsSpan(12));
            bitRate = BinaryPrimitives.ReadInt32LittleEndian(id.AsSpan(20));
            if (!comments.AsSpan().StartsWith("\x03vorbis"u8)) throw AudioHeader.Corrupt(name, "Ogg Vorbis comment header is missing");
            tags = VorbisCommentList.TryParse(comments.AsSpan(7), name);
        }
        else if (id.Length >= 19 && id.AsSpan().StartsWith("OpusHead"u8))
        {
            codec = "opus";
            channels = id[9];
            rate = 48000;
            if (!comments.AsSpan().StartsWith("OpusTags"u8)) throw AudioHeader.Corrupt(name, "OpusTags header is missing");
            tags = VorbisCommentList.TryParse(comments.AsSpan(8), name);
        }
        else return null; // Speex, FLAC in Ogg, Theora first: ffprobe knows them
        if (rate <= 0 || channels == 0) throw AudioHeader.Corrupt(name, $"Ogg {codec} header states {rate} Hz, {channels} channels");
        if (tags is null || LastGranule(file, serial, name) is not long granule || granule <= 0) return null;
        var duration = AudioHeader.Duration(granule, rate, name);
        if (bitRate <= 0) bitRate = AudioHeader.FileBitRate(file.Length, duration);
        return new AudioStreamInfo(codec, rate, channels, duration, bitRate, "fltp", 0, false, tags);
    }

    /// <summary>The granule position of the stream's last page that has one, or null.</summary>
    private static long? LastGranule(ReadOnlySpan<byte> file, uint serial, string name)
    {
        int from = Math.Max(0, file.Length - TailBytes);
        long? last = null;
        for (int at = file.Length - 27; at >= from; at--)
        {
            if (file[at] != (byte)'O' || !file[at..].StartsWith("OggS"u8)) continue;
            if (!Page(file, at, name, out var page) || page.Serial != serial || page.Granule == -1) continue;
            last = page.Granule;
            break;
        }
        return last;
    }

    private readonly record struct OggPage(int Start, int Flags, long Granule, uint Serial, int Segments, int BodyStart, int End)
    {
        public IEnumerable<int> Laces(ReadOnlySpan<byte> file)
        {
            var laces = new int[Segments];
            for (int i = 0; i < Segments; i++) laces[i] = file[Start + 27 + i];
            return laces;
        }
    }

    /// <summary>The page at <paramref name="at"/> when it is whole (capture pattern, version 0, the lacing
    /// table and the body inside the file).</summary>
    private static bool Page(ReadOnlySpan<byte> file, int at, string name, out OggPage page)
    {
        page = default;
        if (at + 27 > file.Length || !file[at..].StartsWith("OggS"u8)) return false;
        if (file[at + 4] != 0) throw AudioHeader.Corrupt(name, "Ogg page of an unknown version");
        int segments = file[at + 26];
        if (at + 27 + segments > file.Length) return false;
        int body = 0;
        for (int i = 0; i < segments; i++) body += file[at + 27 + i];
        int end = at + 27 + segments + body;
        if (end > file.Length) return false;
        page = new OggPage(at, file[at + 5], BinaryPrimitives.ReadInt64LittleEndian(file[(at + 6)..]),
            BinaryPrimitives.ReadUInt32LittleEndian(file[(at + 14)..]), segments, at + 27 + segments, end);
        return true;
    }
}
