namespace LabelStamp.Media.Audio.Headers;

/// <summary>
/// FLAC: "fLaC", then metadata blocks (1 byte last-flag and type, 24-bit length). STREAMINFO (type 0,
/// 34 bytes) holds the rate (20 bits), channels − 1 (3), bits per sample − 1 (5) and the total samples
/// (36); the VORBIS_COMMENT block (type 4) the tags. A stream whose total is 0 (unknown) is left to ffprobe.
/// </summary>
public static class FlacHeader
{
    private const int MaxBlocks = 4096;

    public static AudioStreamInfo? TryRead(ReadOnlySpan<byte> file, string name)
    {
        if (!file.StartsWith("fLaC"u8)) return null;
        int at = 4;
        int rate = 0, channels = 0, bits = 0;
        long total = 0;
        bool streamInfo = false;
        Dictionary<string, string>? tags = new(StringComparer.OrdinalIgnoreCase);
        for (int n = 0; ; n++)
        {
            if (n == MaxBlocks) throw AudioHeader.Corrupt(name, "FLAC header has too many metadata blocks");
            if (at + 4 > file.Length) throw AudioHeader.Truncated(name, "the FLAC metadata");
            byte head = file[at];
            int type = head & 0x7F;
            int length = file[at + 1] << 16 | file[at + 2] << 8 | file[at + 3];
            at += 4;
            if (length > file.Length - at) throw AudioHeader.Truncated(name, "a FLAC metadata block");
            var block = file.Slice(at, length);
            if (type == 127) throw AudioHeader.Corrupt(name, "FLAC metadata block of the forbidden type 127");
            if (type == 0)
            {
                if (n != 0 || length < 34) throw AudioHeader.Corrupt(name, "FLAC STREAMINFO is missing or short");
                rate = block[10] << 12 | block[11] << 4 | block[12] >> 4;
                channels = ((block[12] >> 1) & 7) + 1;
                bits = ((block[12] & 1) << 4 | block[13] >> 4) + 1;
                total = (long)(block[13] & 0x0F) << 32 | AudioHeader.Be32(block, 14);
                streamInfo = true;
            }
            else if (type == 4 && tags is not null)
            {
                tags = VorbisCommentList.TryParse(block, name);
            }
            at += length;
            if ((head & 0x80) != 0) break;
        }
        if (!streamInfo) throw AudioHeader.Corrupt(name, "FLAC STREAMINFO is missing");
        if (rate == 0) throw AudioHeader.Corrupt(name, "FLAC STREAMINFO states a sample rate of 0");
        if (total == 0 || tags is null) return null;
        var duration = AudioHeader.Duration(total, rate, name);
        // ffmpeg states no stream bitrate for FLAC; the container's is the file's bits over the duration.
        return new AudioStreamInfo("flac", rate, channels, duration, AudioHeader.FileBitRate(file.Length, duration),
            bits > 16 ? "s32" : "s16", bits, false, tags);
    }
}
