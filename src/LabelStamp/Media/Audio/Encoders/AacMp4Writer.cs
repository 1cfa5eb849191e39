using System.Buffers.Binary;
using System.Text;
using LabelStamp.Errors;
using LabelStamp.Metadata.Containers;

namespace LabelStamp.Media.Audio.Encoders;

/// <summary>
/// Our MP4 muxer for one AAC track (ISO/IEC 14496-12 and -14): the head's <c>ftyp</c>, then <c>mdat</c> with every
/// packet in one chunk, then <c>moov</c> — <c>mvhd</c>, one <c>trak</c> (<c>tkhd</c>, an edit list that skips the
/// encoder's priming samples and ends at the input's length, <c>mdia</c> with <c>mdhd</c> at the sample rate,
/// <c>hdlr</c> soun, <c>smhd</c>, <c>dinf</c>, <c>stbl</c> with an <c>mp4a</c>/<c>esds</c> sample entry, <c>stts</c>,
/// <c>stsc</c>, <c>stsz</c>, <c>stco</c>) — and the head's <c>moov/udta</c>, where ffmpeg's muxer put
/// the tags and the AIGC key (spec §4). moov stays last, as the ffmpeg route writes audio files, so the AIGC and
/// cover-art fix-ups and the C2PA writer grow it without moving the samples. Timing is ffmpeg's: every packet
/// lasts 1024 samples but the last, which ends the media at priming + input samples.
/// </summary>
public static class AacMp4Writer
{
    private const int MovieTimescale = 1000;

    public static byte[] Write(ReadOnlySpan<byte> head, LibavAacEncoder encoder, string name)
    {
        var top = BmffReader.Read(head, name);
        var ftyp = Find(top, "ftyp") ?? throw new LabelStampException(ErrorCode.ToolFailed, $"{name}: ffmpeg's head file has no ftyp");
        var headMoov = Find(top, "moov") ?? throw new LabelStampException(ErrorCode.ToolFailed, $"{name}: ffmpeg's head file has no moov");
        var udta = Find(BmffReader.ReadChildren(head, headMoov, 1, name), "udta");

        var sizes = encoder.PacketSizes;
        var stream = encoder.Stream;
        long samples = encoder.Samples, streamBytes = stream.Length;
        int rate = encoder.SampleRate;
        long media = samples + LibavAacEncoder.Priming;
        if (sizes.Count == 0 || (long)(sizes.Count - 1) * LibavAacEncoder.FrameSamples >= media)
            throw new LabelStampException(ErrorCode.ToolFailed, $"{name}: the AAC encoder gave {sizes.Count} packets for {samples} samples");

        var output = new MemoryStream();
        output.Write(head.Slice((int)ftyp.Offset, (int)ftyp.Size));
        // A stream in one managed buffer is under 2 GiB: a 32-bit mdat size and chunk offset always fit.
        long payload = output.Position + 8;
        WriteU32(output, (uint)(stream.Length + 8));
        output.Write("mdat"u8);
        output.Write(stream);

        long movieDuration = Rescale(samples, rate, MovieTimescale);
        var moov = new BoxWriter(output, "moov");
        Mvhd(output, movieDuration);
        var trak = new BoxWriter(output, "trak");
        Tkhd(output, movieDuration);
        var edts = new BoxWriter(output, "edts");
        FullBox(output, "elst", 0, 0, b =>
        {
            WriteU32(b, 1);
            WriteU32(b, (uint)movieDuration);
            WriteU32(b, LibavAacEncoder.Priming);
            WriteU32(b, 0x00010000);
        });
        edts.End();
        var mdia = new BoxWriter(output, "mdia");
        FullBox(output, "mdhd", 0, 0, b =>
        {
            WriteU32(b, 0);
            WriteU32(b, 0);
            WriteU32(b, (uint)rate);
            WriteU32(b, (uint)media);
            WriteU16(b, 0x55C4); // ISO 639-2 "und", packed
            WriteU16(b, 0);
        });
        FullBox(output, "hdlr", 0, 0, b =>
        {
            WriteU32(b, 0);
            b.Write("soun"u8);
            b.Write(new byte[12]);
            b.Write("SoundHandler\0"u8);
        });
        var minf = new BoxWriter(output, "minf");
        FullBox(output, "smhd", 0, 0, b => WriteU32(b, 0));
        var dinf = new BoxWriter(output, "dinf");
        FullBox(output, "dref", 0, 0, b =>
        {
            WriteU32(b, 1);
            FullBox(b, "url ", 0, 1, _ => { });
        });
        dinf.End();
        var stbl = new BoxWriter(output, "stbl");
        FullBox(output, "stsd", 0, 0, b =>
        {
            WriteU32(b, 1);
            SampleEntry(b, encoder, sizes, streamBytes, samples);
        });
        FullBox(output, "stts", 0, 0, b =>
        {
            long last = media - (long)(sizes.Count - 1) * LibavAacEncoder.FrameSamples;
            bool uneven = last != LibavAacEncoder.FrameSamples;
            WriteU32(b, uneven && sizes.Count > 1 ? 2u : 1u);
            if (sizes.Count > 1 || !uneven)
            {
                WriteU32(b, (uint)(uneven ? sizes.Count - 1 : sizes.Count));
                WriteU32(b, LibavAacEncoder.FrameSamples);
            }
            if (uneven)
            {
                WriteU32(b, 1);
                WriteU32(b, (uint)last);
            }
        });
        FullBox(output, "stsc", 0, 0, b =>
        {
            WriteU32(b, 1);
            WriteU32(b, 1);
            WriteU32(b, (uint)sizes.Count);
            WriteU32(b, 1);
        });
        FullBox(output, "stsz", 0, 0, b =>
        {
            WriteU32(b, 0);
            WriteU32(b, (uint)sizes.Count);
            foreach (int s in sizes) WriteU32(b, (uint)s);
        });
        FullBox(output, "stco", 0, 0, b => { WriteU32(b, 1); WriteU32(b, (uint)payload); });
        stbl.End();
        minf.End();
        mdia.End();
        trak.End();
        if (udta is { } u) output.Write(head.Slice((int)u.Offset, (int)u.Size));
        moov.End();
        return output.ToArray();
    }

    /// <summary>The <c>mp4a</c> sample entry (ISO/IEC 14496-14 §5.6) with its <c>esds</c>: an ES descriptor holding
    /// the decoder configuration (MPEG-4 audio, object type 0x40, stream type 5), the encoder's AudioSpecificConfig
    /// and the predefined SL configuration 2; bitrates as ffmpeg's muxer states them (the largest packet, the
    /// largest second and the average).</summary>
    private static void SampleEntry(Stream b, LibavAacEncoder encoder, IReadOnlyList<int> sizes, long bytes, long samples)
    {
        var entry = new BoxWriter(b, "mp4a");
        b.Write(new byte[6]);
        WriteU16(b, 1);           // data reference index
        b.Write(new byte[8]);     // version, revision, vendor
        WriteU16(b, (ushort)Math.Min(encoder.ChannelCount, 2));
        WriteU16(b, 16);          // sample size
        WriteU32(b, 0);           // compression id, packet size
        WriteU32(b, (uint)Math.Min(encoder.SampleRate, 65535) << 16);
        FullBox(b, "esds", 0, 0, e =>
        {
            byte[] asc = encoder.AudioSpecificConfig;
            int maxPacket = 0;
            foreach (int s in sizes) maxPacket = Math.Max(maxPacket, s);
            long average = samples > 0 ? (long)(bytes * 8.0 * encoder.SampleRate / samples) : 0;
            var decoderConfig = new List<byte> { 0x40, 0x15, (byte)(maxPacket >> 16), (byte)(maxPacket >> 8), (byte)maxPacket };
            decoderConfig.AddRange(BigEndian((uint)Math.Max(average, MaxPerSecond(sizes, encoder.SampleRate))));
            decoderConfig.AddRange(BigEndian((uint)average));
            decoderConfig.AddRange(Descriptor(0x05, asc));
            var es = new List<byte> { 0, 1, 0 }; // ES_ID 1 (the track), no flags
            es.AddRange(Descriptor(0x04, [.. decoderConfig]));
            es.AddRange(Descriptor(0x06, [0x02]));
            e.Write(Descriptor(0x03, [.. es]));
        });
        entry.End();
    }

    /// <summary>The most bits in any second of packets (ffmpeg's max bitrate for the esds).</summary>
    private static long MaxPerSecond(IReadOnlyList<int> sizes, int rate)
    {
        int perSecond = Math.Max(1, rate / LibavAacEncoder.FrameSamples);
        long window = 0, best = 0;
        for (int i = 0; i < sizes.Count; i++)
        {
            window += sizes[i];
            if (i >= perSecond) window -= sizes[i - perSecond];
            best = Math.Max(best, window);
        }
        return best * 8;
    }

    /// <summary>An MPEG-4 descriptor: tag, length in the four-byte form ffmpeg writes, body.</summary>
    private static byte[] Descriptor(byte tag, byte[] body) =>
        [tag, (byte)(0x80 | (body.Length >> 21) & 0x7F), (byte)(0x80 | (body.Length >> 14) & 0x7F), (byte)(0x80 | (body.Length >> 7) & 0x7F),
            (byte)(body.Length & 0x7F), .. body];

    private static void Mvhd(Stream s, long duration) => FullBox(s, "mvhd", 0, 0, b =>
    {
        WriteU32(b, 0);
        WriteU32(b, 0);
        WriteU32(b, MovieTimescale);
        WriteU32(b, (uint)duration);
        WriteU32(b, 0x00010000); // rate 1.0
        WriteU16(b, 0x0100);     // volume 1.0
        b.Write(new byte[10]);
        Matrix(b);
        b.Write(new byte[24]);
        WriteU32(b, 2);          // next track ID
    });

    private static void Tkhd(Stream s, long duration) => FullBox(s, "tkhd", 0, 3, b =>
    {
        WriteU32(b, 0);
        WriteU32(b, 0);
        WriteU32(b, 1);          // track ID
        WriteU32(b, 0);
        WriteU32(b, (uint)duration);
        b.Write(new byte[8]);
        WriteU16(b, 0);          // layer
        WriteU16(b, 1);          // alternate group
        WriteU16(b, 0x0100);     // volume 1.0
        WriteU16(b, 0);
        Matrix(b);
        WriteU32(b, 0);          // width
        WriteU32(b, 0);          // height
    });

    private static void Matrix(Stream b)
    {
        foreach (uint v in new uint[] { 0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000 }) WriteU32(b, v);
    }

    private static long Rescale(long value, long from, long to) => (long)(((Int128)value * to + from / 2) / from);

    private static BmffBox? Find(List<BmffBox> boxes, string type)
    {
        foreach (var b in boxes)
            if (b.Type == type) return b;
        return null;
    }

    private static void FullBox(Stream s, string type, byte version, uint flags, Action<Stream> body)
    {
        var box = new BoxWriter(s, type);
        WriteU32(s, (uint)version << 24 | flags & 0xFFFFFF);
        body(s);
        box.End();
    }

    private static byte[] BigEndian(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        return b;
    }

    private static void WriteU16(Stream s, ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, v);
        s.Write(b);
    }

    private static void WriteU32(Stream s, uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        s.Write(b);
    }

    /// <summary>A box whose 32-bit size is written when it ends (every box here is far below 4 GiB).</summary>
    private readonly struct BoxWriter
    {
        private readonly Stream _stream;
        private readonly long _start;

        public BoxWriter(Stream stream, string type)
        {
            _stream = stream;
            _start = stream.Position;
            WriteU32(stream, 0);
            stream.Write(Encoding.ASCII.GetBytes(type));
        }

        public void End()
        {
            long end = _stream.Position;
            _stream.Position = _start;
            WriteU32(_stream, (uint)(end - _start));
            _stream.Position = end;
        }
    }
}
