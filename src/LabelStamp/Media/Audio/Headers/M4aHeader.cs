using System.Text;
using LabelStamp.Metadata.Containers;

namespace LabelStamp.Media.Audio.Headers;

/// <summary>
/// Audio-only MP4/M4A with AAC: the length from <c>mvhd</c> (ffmpeg states an unfragmented file's
/// duration from it), the rate and channels from the AudioSpecificConfig in <c>esds</c> (what the decoder
/// uses, not the sample entry's legacy fields), the bitrate from the decoder config's average, and the
/// AIGC tag from the <c>mdta</c> keys of <c>moov/udta/meta</c>. HE-AAC (SBR/PS, whose output rate ffmpeg
/// doubles), other codecs, QuickTime sound entries of version 1 or 2, fragmented files and files with a
/// video track are left to ffprobe. Boxes are walked by <see cref="BmffReader"/>.
/// </summary>
public static class M4aHeader
{
    private static readonly int[] AacRates = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

    public static AudioStreamInfo? TryRead(ReadOnlySpan<byte> file, string name)
    {
        if (BmffReader.Walk(file, 0, file.Length).First("moov") is not { } moov) return null;
        var top = BmffReader.WalkChildren(file, moov, 1);
        if (!top.Complete || top.First("mvex") is not null) return null;
        if (top.First("mvhd") is not { } mvhd || MediaHeader(file, mvhd) is not var (movieScale, movieDuration)) return null;
        BmffBox? sound = null;
        foreach (var trak in top.Boxes)
        {
            if (trak.Type != "trak") continue;
            var handler = Handler(file, trak);
            if (handler == "vide") return null; // video or cover-art track: the router and ffprobe decide
            if (handler == "soun" && sound is null) sound = trak;
        }
        if (sound is not { } track) return null;
        var stsd = Path(file, track, 2, "mdia", "minf", "stbl", "stsd");
        if (stsd is not { } sd || sd.Size < sd.HeaderSize + 8 + 36) return null;
        int entry = (int)sd.PayloadStart + 8;
        if (Encoding.Latin1.GetString(file.Slice(entry + 4, 4)) != "mp4a") return null;
        if (file[entry + 16] != 0 || file[entry + 17] != 0) return null; // QuickTime sound version 1/2
        // The sample entry's own fields take 36 bytes before its child boxes: an entry that is missing or
        // shorter than that has no esds to read (and would make the child walk's range run backwards).
        var entryBox = BmffReader.Walk(file, entry, sd.End, 6).Boxes.FirstOrDefault();
        if (entryBox.Size == 0 || entryBox.End < entry + 36) return null;
        var esds = BmffReader.Walk(file, entry + 36, entryBox.End, 7).First("esds");
        // esds: version and flags (4 bytes), then the ES descriptor.
        if (esds is not { } es || es.End - es.PayloadStart < 4
            || Decoder(file.Slice((int)es.PayloadStart + 4, (int)(es.End - es.PayloadStart - 4))) is not var (rate, channels, avg))
            return null;
        var duration = AudioHeader.Duration(movieDuration, movieScale, name);
        if (avg <= 0 || Aigc(file, top) is not { } tags) return null;
        return new AudioStreamInfo("aac", rate, channels, duration, avg, "fltp", 0, false, tags);
    }

    /// <summary>mvhd/mdhd: (timescale, duration) for versions 0 and 1.</summary>
    private static (long, long)? MediaHeader(ReadOnlySpan<byte> file, BmffBox box)
    {
        var p = file[(int)box.PayloadStart..(int)box.End];
        if (p.Length < 20) return null;
        if (p[0] == 1)
            return p.Length < 32 ? null : (AudioHeader.Be32(p, 20), (long)AudioHeader.Be32(p, 24) << 32 | AudioHeader.Be32(p, 28));
        return (AudioHeader.Be32(p, 12), AudioHeader.Be32(p, 16));
    }

    private static string? Handler(ReadOnlySpan<byte> file, BmffBox trak) =>
        Path(file, trak, 2, "mdia", "hdlr") is { Size: >= 20 } h ? Encoding.Latin1.GetString(file.Slice((int)h.PayloadStart + 8, 4)) : null;

    private static BmffBox? Path(ReadOnlySpan<byte> file, BmffBox from, int depth, params string[] types)
    {
        BmffBox? box = from;
        foreach (string t in types)
        {
            if (box is not { } b) return null;
            box = BmffReader.WalkChildren(file, b, depth++).First(t);
        }
        return box;
    }

    /// <summary>ES_Descriptor → DecoderConfigDescriptor (MPEG-4 audio, 0x40) → AudioSpecificConfig:
    /// (rate, channels, average bitrate), or null for anything but plain AAC.</summary>
    private static (int, int, long)? Decoder(ReadOnlySpan<byte> d)
    {
        int at = 0;
        if (!Descriptor(d, ref at, 0x03, out int esEnd)) return null;
        if (at + 3 > esEnd) return null;
        byte flags = d[at + 2];
        at += 3;
        if ((flags & 0x80) != 0) at += 2;
        if ((flags & 0x40) != 0) { if (at >= esEnd) return null; at += 1 + d[at]; }
        if ((flags & 0x20) != 0) at += 2;
        if (!Descriptor(d, ref at, 0x04, out int dcEnd) || at + 13 > dcEnd || d[at] != 0x40) return null;
        long avg = AudioHeader.Be32(d, at + 9);
        at += 13;
        if (!Descriptor(d, ref at, 0x05, out int asEnd) || at + 2 > asEnd) return null;
        int objectType = d[at] >> 3;
        int rateIndex = (d[at] & 7) << 1 | d[at + 1] >> 7;
        int channels = (d[at + 1] >> 3) & 0x0F;
        if (objectType is 0 or 5 or 29 or 31 || rateIndex >= AacRates.Length || channels is 0 or > 7) return null;
        return (AacRates[rateIndex], channels == 7 ? 8 : channels, avg);
    }

    /// <summary>An MPEG-4 descriptor of <paramref name="tag"/> at <paramref name="at"/> (expandable length
    /// of up to four bytes); moves past its header and gives its end.</summary>
    private static bool Descriptor(ReadOnlySpan<byte> d, ref int at, int tag, out int end)
    {
        end = 0;
        if (at >= d.Length || d[at] != tag) return false;
        int length = 0, i = at + 1;
        for (int n = 0; n < 4; n++, i++)
        {
            if (i >= d.Length) return false;
            length = length << 7 | (d[i] & 0x7F);
            if ((d[i] & 0x80) == 0) { i++; break; }
        }
        end = i + length;
        at = i;
        return end <= d.Length;
    }

    /// <summary>The mdta-keyed items of moov/udta/meta (the AIGC record is one), or null when the meta box
    /// is there but not in the layout ffmpeg writes.</summary>
    private static Dictionary<string, string>? Aigc(ReadOnlySpan<byte> file, BmffWalk moov)
    {
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (moov.First("udta") is not { } udta || BmffReader.WalkChildren(file, udta, 2).First("meta") is not { } meta) return tags;
        var children = BmffReader.WalkChildren(file, meta, 3);
        if (children.First("keys") is not { } keys) return tags; // iTunes items only: no AIGC key
        if (children.First("ilst") is not { } ilst) return null;
        var k = file[(int)keys.PayloadStart..(int)keys.End];
        if (k.Length < 8) return null;
        uint count = AudioHeader.Be32(k, 4);
        var names = new List<string>();
        int at = 8;
        for (uint i = 0; i < count; i++)
        {
            if (at + 8 > k.Length) return null;
            int size = (int)Math.Min(AudioHeader.Be32(k, at), int.MaxValue);
            if (size < 8 || size > k.Length - at) return null;
            names.Add(Encoding.UTF8.GetString(k.Slice(at + 8, size - 8)));
            at += size;
        }
        foreach (var item in BmffReader.WalkChildren(file, ilst, 4).Boxes)
        {
            uint index = AudioHeader.Be32(file, (int)item.Offset + 4);
            if (index == 0 || index > names.Count) continue;
            var data = BmffReader.WalkChildren(file, item, 5).First("data");
            // data: type (4: UTF-8 is 1), locale (4), value.
            if (data is not { } dt || dt.Size < dt.HeaderSize + 8) return null;
            if (AudioHeader.Be32(file, (int)dt.PayloadStart) != 1) continue;
            string value = Encoding.UTF8.GetString(file[(int)(dt.PayloadStart + 8)..(int)dt.End]);
            if (!tags.TryAdd(names[(int)index - 1], value)) return null;
        }
        return tags;
    }
}
