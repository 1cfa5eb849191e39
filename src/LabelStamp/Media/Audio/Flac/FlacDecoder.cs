using LabelStamp.Errors;

namespace LabelStamp.Media.Audio.Flac;

/// <summary>
/// An in-process FLAC decoder (RFC 9639) producing what ffmpeg's decoder and its sample-format conversion
/// give for the same file: interleaved floats, each integer sample times 2^−15 (≤ 16 bits per sample,
/// decoded as s16) or shifted to 32 bits and times 2^−31 (above 16 bits, decoded as s32). FLAC is
/// lossless, so any correct decoder yields the same samples, and the stamp's output stays byte-identical
/// while one ffmpeg process (≈ 75 ms CPU of start-up, bench/AUDIO.md) is saved. Frames are read in file
/// order; anything this reader does not expect (a lost sync, a reserved code, a CRC that does not match)
/// is a typed error, raised before any sample of the frame is handed out.
/// </summary>
public sealed class FlacDecoder : IPcmDecoder
{
    private readonly ReadOnlyMemory<byte> _file;
    private readonly string _name;
    private readonly int _channels;
    private readonly int _bits;
    private int _at;
    private long[][] _work = [];

    public FlacDecoder(ReadOnlyMemory<byte> file, AudioStreamInfo info, string name)
    {
        _file = file;
        _name = name;
        _channels = info.Channels;
        _bits = info.BitsPerSample;
        _at = FirstFrame(file.Span, name);
    }

    public int Channels => _channels;

    /// <summary>Decodes the next frame into <paramref name="output"/> (interleaved, resized as needed);
    /// returns the frames (samples per channel) it holds, 0 at the end of the stream.</summary>
    public int Next(ref float[] output)
    {
        // Trailing bytes after the last frame (an ID3v1 tag, padding) end the stream, as in ffmpeg.
        var file = _file.Span;
        if (_at + 2 > file.Length || file[_at] != 0xFF || (file[_at + 1] & 0xFE) != 0xF8) return 0;
        var frame = file[_at..];
        var r = new FlacBitReader(frame, _name);
        r.Read(15);
        r.Read(1); // blocking strategy: the coded number is not needed to decode in order
        int blockCode = (int)r.Read(4), rateCode = (int)r.Read(4), assignment = (int)r.Read(4), sizeCode = (int)r.Read(3);
        if (r.Read(1) != 0 || assignment > 10 || sizeCode == 3 || rateCode == 15) throw Corrupt("reserved code in a frame header");
        // The coded frame or sample number: UTF-8-like, 1 to 7 bytes.
        uint lead = r.Read(8);
        int extra = lead < 0x80 ? 0 : lead >= 0xFE ? 6 : System.Numerics.BitOperations.LeadingZeroCount(~(lead << 24)) - 1;
        for (int i = 0; i < extra; i++) r.Read(8);
        int blockSize = blockCode switch
        {
            0 => throw Corrupt("reserved block size"),
            1 => 192,
            >= 2 and <= 5 => 576 << (blockCode - 2),
            6 => (int)r.Read(8) + 1,
            7 => (int)r.Read(16) + 1,
            _ => 256 << (blockCode - 8),
        };
        if (rateCode == 12) r.Read(8);
        else if (rateCode is 13 or 14) r.Read(16);
        int bits = sizeCode switch { 0 => _bits, 1 => 8, 2 => 12, 4 => 16, 5 => 20, 6 => 24, _ => 32 };
        if (bits != _bits) throw Corrupt("a frame's sample size differs from STREAMINFO");
        int headerEnd = r.BytePosition;
        r.Read(8);
        if (Crc8(frame[..headerEnd]) != frame[headerEnd]) throw Corrupt("frame header CRC mismatch");
        int channels = assignment <= 7 ? assignment + 1 : 2;
        if (channels != _channels) throw Corrupt("a frame's channel count differs from STREAMINFO");

        if (_work.Length != channels || _work[0].Length < blockSize)
            _work = Enumerable.Range(0, channels).Select(_ => new long[Math.Max(blockSize, 4608)]).ToArray();
        for (int c = 0; c < channels; c++)
        {
            bool side = (assignment == 8 && c == 1) || (assignment == 9 && c == 0) || (assignment == 10 && c == 1);
            Subframe(ref r, _work[c].AsSpan(0, blockSize), bits + (side ? 1 : 0));
        }
        r.AlignToByte();
        int end = r.BytePosition;
        if (end + 2 > frame.Length) throw new LabelStampException(ErrorCode.TruncatedInput, $"{_name}: a FLAC frame is cut off");
        if (Crc16(frame[..end]) != (frame[end] << 8 | frame[end + 1])) throw Corrupt("frame CRC mismatch");
        _at += end + 2;

        Decorrelate(assignment, blockSize);
        if (output.Length < blockSize * channels) output = new float[blockSize * channels];
        // ffmpeg: ≤ 16 bits decode to s16 (value · 2^-15 as float), more to s32 (value << (32 − bits), · 2^-31).
        int up = bits > 16 ? 32 - bits : 16 - bits;
        float scale = bits > 16 ? 1f / 2147483648f : 1f / 32768f;
        for (int c = 0; c < channels; c++)
        {
            var w = _work[c];
            for (int i = 0; i < blockSize; i++) output[i * channels + c] = (int)(w[i] << up) * scale;
        }
        return blockSize;
    }

    private void Subframe(ref FlacBitReader r, Span<long> s, int bits)
    {
        if (r.Read(1) != 0) throw Corrupt("subframe padding bit set");
        int type = (int)r.Read(6);
        int wasted = r.Read(1) == 1 ? r.Unary() + 1 : 0;
        if (wasted >= bits) throw Corrupt("subframe wastes every bit");
        bits -= wasted;
        if (type == 0)
        {
            long v = r.ReadSigned(bits);
            s.Fill(v);
        }
        else if (type == 1)
        {
            for (int i = 0; i < s.Length; i++) s[i] = r.ReadSigned(bits);
        }
        else if (type is >= 8 and <= 12)
        {
            int order = type - 8;
            Warmup(ref r, s, order, bits);
            Residual(ref r, s, order);
            for (int i = order; i < s.Length; i++)
                s[i] += order switch
                {
                    0 => 0,
                    1 => s[i - 1],
                    2 => 2 * s[i - 1] - s[i - 2],
                    3 => 3 * s[i - 1] - 3 * s[i - 2] + s[i - 3],
                    _ => 4 * s[i - 1] - 6 * s[i - 2] + 4 * s[i - 3] - s[i - 4],
                };
        }
        else if (type >= 32)
        {
            int order = type - 31;
            Warmup(ref r, s, order, bits);
            int precision = (int)r.Read(4) + 1;
            if (precision == 16) throw Corrupt("reserved LPC precision");
            int shift = r.ReadSigned(5);
            if (shift < 0) throw Corrupt("negative LPC shift");
            Span<long> coefficients = stackalloc long[order];
            for (int j = 0; j < order; j++) coefficients[j] = r.ReadSigned(precision);
            Residual(ref r, s, order);
            for (int i = order; i < s.Length; i++)
            {
                long sum = 0;
                for (int j = 0; j < order; j++) sum += coefficients[j] * s[i - 1 - j];
                s[i] += sum >> shift;
            }
        }
        else throw Corrupt("reserved subframe type");
        if (wasted > 0)
            for (int i = 0; i < s.Length; i++) s[i] <<= wasted;
    }

    private void Warmup(ref FlacBitReader r, Span<long> s, int order, int bits)
    {
        if (order > s.Length) throw Corrupt("predictor order exceeds the block size");
        for (int i = 0; i < order; i++) s[i] = r.ReadSigned(bits);
    }

    private void Residual(ref FlacBitReader r, Span<long> s, int order)
    {
        int method = (int)r.Read(2);
        if (method > 1) throw Corrupt("reserved residual coding method");
        int parameterBits = method == 0 ? 4 : 5, escape = (1 << parameterBits) - 1;
        int partitionOrder = (int)r.Read(4);
        int partitions = 1 << partitionOrder, per = s.Length >> partitionOrder;
        if (per << partitionOrder != s.Length || per < order) throw Corrupt("residual partitions do not fit the block");
        int i = order;
        for (int p = 0; p < partitions; p++)
        {
            int end = (p + 1) * per;
            int k = (int)r.Read(parameterBits);
            if (k == escape)
            {
                int raw = (int)r.Read(5);
                for (; i < end; i++) s[i] = r.ReadSigned(raw);
            }
            else
            {
                for (; i < end; i++) s[i] = r.Rice(k);
            }
        }
    }

    private void Decorrelate(int assignment, int n)
    {
        if (assignment < 8) return;
        long[] a = _work[0], b = _work[1];
        for (int i = 0; i < n; i++)
        {
            switch (assignment)
            {
                case 8: b[i] = a[i] - b[i]; break;            // left, side → right = left − side
                case 9: a[i] += b[i]; break;                  // side, right → left = side + right
                default:
                    long mid = a[i] << 1 | (b[i] & 1), side = b[i];
                    a[i] = (mid + side) >> 1;
                    b[i] = (mid - side) >> 1;
                    break;
            }
        }
    }

    private static int FirstFrame(ReadOnlySpan<byte> file, string name)
    {
        int at = 4;
        while (true)
        {
            if (at + 4 > file.Length) throw new LabelStampException(ErrorCode.TruncatedInput, $"{name}: the FLAC metadata runs past the end of the file");
            bool last = (file[at] & 0x80) != 0;
            at += 4 + (file[at + 1] << 16 | file[at + 2] << 8 | file[at + 3]);
            if (last) return at;
        }
    }

    private static byte Crc8(ReadOnlySpan<byte> data)
    {
        int crc = 0;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xFF : (crc << 1) & 0xFF;
        }
        return (byte)crc;
    }

    /// <summary>CRC-16 (polynomial 0x8005) by table: it runs over every byte of the file.</summary>
    private static int Crc16(ReadOnlySpan<byte> data)
    {
        int crc = 0;
        foreach (byte b in data) crc = ((crc << 8) ^ Crc16Table[(crc >> 8) ^ b]) & 0xFFFF;
        return crc;
    }

    private static readonly ushort[] Crc16Table = Enumerable.Range(0, 256).Select(i =>
    {
        int crc = i << 8;
        for (int k = 0; k < 8; k++) crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x8005 : crc << 1;
        return (ushort)crc;
    }).ToArray();

    private LabelStampException Corrupt(string what) => new(ErrorCode.CorruptInput, $"{_name}: FLAC {what}");
}
