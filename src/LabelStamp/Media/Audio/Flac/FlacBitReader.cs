using LabelStamp.Errors;

namespace LabelStamp.Media.Audio.Flac;

/// <summary>Big-endian bit reader over a FLAC frame (RFC 9639 §9): unsigned and two's-complement fields
/// of up to 32 bits, unary runs and Rice codes; reading past the end is a typed error.</summary>
internal ref struct FlacBitReader(ReadOnlySpan<byte> data, string name)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _bit;

    public readonly int BytePosition => (_bit + 7) >> 3;

    public uint Read(int bits)
    {
        if (bits == 0) return 0;
        if (_bit + bits > _data.Length * 8) throw Truncated();
        ulong v = 0;
        int start = _bit >> 3, end = (_bit + bits - 1) >> 3;
        for (int i = start; i <= end; i++) v = v << 8 | _data[i];
        int used = (end - start + 1) * 8;
        v >>= used - (_bit & 7) - bits;
        _bit += bits;
        return (uint)(v & ((1UL << bits) - 1));
    }

    public int ReadSigned(int bits)
    {
        if (bits == 0) return 0;
        uint v = Read(bits);
        int shift = 32 - bits;
        return (int)(v << shift) >> shift;
    }

    /// <summary>The count of 0 bits before the next 1 bit (which is consumed).</summary>
    public int Unary()
    {
        int n = 0;
        while (true)
        {
            if (_bit >= _data.Length * 8) throw Truncated();
            int b = (_data[_bit >> 3] >> (7 - (_bit & 7))) & 1;
            _bit++;
            if (b == 1) return n;
            if (++n > 1 << 20) throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: FLAC Rice code runs too long");
        }
    }

    public int Rice(int parameter)
    {
        long q = Unary();
        long u = q << parameter | Read(parameter);
        return (int)((u >> 1) ^ -(u & 1));
    }

    public void AlignToByte() => _bit = (_bit + 7) & ~7;

    private readonly LabelStampException Truncated() => new(ErrorCode.TruncatedInput, $"{name}: a FLAC frame is cut off");
}
