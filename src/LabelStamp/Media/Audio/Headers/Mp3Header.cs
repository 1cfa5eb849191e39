using System.Text;

namespace LabelStamp.Media.Audio.Headers;

/// <summary>
/// MP3 (MPEG-1/2/2.5 Layer III): the ID3v2 tag first (its TXXX frames are the tags ffprobe names by their
/// description, the AIGC record among them), then the first frame header (rate, channels, bitrate) and
/// the Xing/Info or VBRI header inside that frame, whose frame count gives the length as ffmpeg computes
/// it (frames × samples per frame / rate). Without a frame count ffmpeg estimates the length from the
/// file size, and so does ffprobe better: those files, unsynchronised or compressed tags, and junk
/// before the first frame are left to it.
/// </summary>
public static class Mp3Header
{
    private static readonly int[] Mpeg1Kbps = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
    private static readonly int[] Mpeg2Kbps = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
    private static readonly int[] Mpeg1Rates = [44100, 48000, 32000];

    public static AudioStreamInfo? TryRead(ReadOnlySpan<byte> file, string name)
    {
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int at = 0;
        if (file.StartsWith("ID3"u8))
        {
            if (file.Length < 10) throw AudioHeader.Truncated(name, "the ID3v2 header");
            int version = file[3], flags = file[5];
            if (((file[6] | file[7] | file[8] | file[9]) & 0x80) != 0) return null; // not syncsafe: ffprobe's guesswork
            int size = Syncsafe(file[6..], name);
            at = 10 + size + ((flags & 0x10) != 0 ? 10 : 0);
            if (at > file.Length) throw AudioHeader.Truncated(name, "the ID3v2 tag");
            // v2.2 (three-letter frames), unsynchronisation, an extended header: ffprobe reads those.
            if (version is not (3 or 4) || (flags & 0xC0) != 0) return null;
            if (!ReadTextFrames(file[10..(10 + size)], version, tags, name)) return null;
        }
        if (at + 4 > file.Length) throw AudioHeader.Truncated(name, "the first MP3 frame");
        var h = file[at..];
        if (h[0] != 0xFF || (h[1] & 0xE0) != 0xE0) return null; // junk or another tag before the first frame
        int versionBits = (h[1] >> 3) & 3, layer = (h[1] >> 1) & 3, bitrateIndex = h[2] >> 4, rateIndex = (h[2] >> 2) & 3;
        if (versionBits == 1 || layer != 1 || bitrateIndex is 0 or 15 || rateIndex == 3) return null; // not Layer III or free format
        bool mpeg1 = versionBits == 3;
        int rate = Mpeg1Rates[rateIndex] >> (mpeg1 ? 0 : versionBits == 2 ? 1 : 2);
        int channels = (h[3] >> 6) == 3 ? 1 : 2;
        int samplesPerFrame = mpeg1 ? 1152 : 576;
        int kbps = (mpeg1 ? Mpeg1Kbps : Mpeg2Kbps)[bitrateIndex];
        // The Xing/Info header follows the side information; VBRI sits 32 bytes after the frame header.
        int side = mpeg1 ? (channels == 1 ? 17 : 32) : (channels == 1 ? 9 : 17);
        long frames = 0, bytes = 0;
        bool cbr = false;
        if (h.Length >= 4 + side + 16 && (h[(4 + side)..].StartsWith("Xing"u8) || h[(4 + side)..].StartsWith("Info"u8)))
        {
            var x = h[(4 + side)..];
            cbr = x[0] == (byte)'I';
            uint xflags = AudioHeader.Be32(x, 4);
            int p = 8;
            if ((xflags & 1) != 0) { frames = AudioHeader.Be32(x, p); p += 4; }
            if ((xflags & 2) != 0 && x.Length >= p + 4) bytes = AudioHeader.Be32(x, p);
        }
        else if (h.Length >= 36 + 18 && h[36..].StartsWith("VBRI"u8))
        {
            bytes = AudioHeader.Be32(h, 36 + 10);
            frames = AudioHeader.Be32(h, 36 + 14);
        }
        if (frames <= 0) return null;
        var duration = AudioHeader.Duration(frames * samplesPerFrame, rate, name);
        // ffmpeg: a VBR header with a byte count gives the average; otherwise the first frame's rate.
        long bitRate = !cbr && bytes > 0 ? bytes * 8 * rate / (frames * samplesPerFrame) : kbps * 1000L;
        return new AudioStreamInfo("mp3", rate, channels, duration, bitRate, "fltp", 0, false, tags);
    }

    /// <summary>Collects the TXXX frames (description → value); false when a frame is compressed,
    /// encrypted or unsynchronised on its own, which ffprobe undoes and this reader does not.</summary>
    private static bool ReadTextFrames(ReadOnlySpan<byte> tag, int version, Dictionary<string, string> tags, string name)
    {
        int at = 0;
        while (at + 10 <= tag.Length && tag[at] != 0)
        {
            var id = tag.Slice(at, 4);
            if (version == 4 && ((tag[at + 4] | tag[at + 5] | tag[at + 6] | tag[at + 7]) & 0x80) != 0) return false;
            int size = version == 4 ? Syncsafe(tag[(at + 4)..], name) : (int)Math.Min(AudioHeader.Be32(tag, at + 4), int.MaxValue);
            int formatFlags = tag[at + 9];
            at += 10;
            if (size > tag.Length - at) throw AudioHeader.Truncated(name, "an ID3v2 frame");
            if (id.SequenceEqual("TXXX"u8))
            {
                if ((version == 4 ? formatFlags & 0x0F : formatFlags & 0xC0) != 0) return false;
                if (Txxx(tag.Slice(at, size)) is not var (key, value)) return false;
                if (!tags.TryAdd(key, value)) return false;
            }
            at += size;
        }
        return true;
    }

    /// <summary>A TXXX body: encoding byte, description, terminator, value.</summary>
    private static (string, string)? Txxx(ReadOnlySpan<byte> body)
    {
        if (body.Length < 1) return null;
        Encoding? encoding = body[0] switch
        {
            0 => Encoding.Latin1,
            1 => Encoding.Unicode, // with a BOM, read below
            2 => Encoding.BigEndianUnicode,
            3 => Encoding.UTF8,
            _ => null,
        };
        if (encoding is null) return null;
        var text = body[1..];
        int unit = body[0] is 1 or 2 ? 2 : 1;
        int end = -1;
        for (int i = 0; i + unit <= text.Length; i += unit)
            if (text[i] == 0 && (unit == 1 || text[i + 1] == 0)) { end = i; break; }
        if (end < 0) return null;
        string key = Decode(text[..end], body[0], encoding), value = Decode(text[(end + unit)..], body[0], encoding);
        return (key, value.TrimEnd('\0'));
    }

    private static string Decode(ReadOnlySpan<byte> s, int encodingByte, Encoding encoding)
    {
        if (encodingByte == 1 && s.Length >= 2)
        {
            if (s[0] == 0xFE && s[1] == 0xFF) return Encoding.BigEndianUnicode.GetString(s[2..]);
            if (s[0] == 0xFF && s[1] == 0xFE) return Encoding.Unicode.GetString(s[2..]);
        }
        return encoding.GetString(s);
    }

    private static int Syncsafe(ReadOnlySpan<byte> b, string name)
    {
        if (b.Length < 4) throw AudioHeader.Truncated(name, "an ID3v2 size");
        return b[0] << 21 | b[1] << 14 | b[2] << 7 | b[3];
    }
}
