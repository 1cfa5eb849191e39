using System.Numerics;
using LabelStamp.Errors;

namespace LabelStamp.Media.Audio.Flac;

/// <summary>Big-endian bit reader over a FLAC frame (RFC 9639 §9): unsigned and two's-complement fields
/// of up to 32 bits, unary runs and Rice codes, read through a 64-bit cache (the residual is most of a
/// frame, one Rice code per sample); reading past the end is a typed error.</summary>
internal ref struct FlacBitReader(ReadOnlySpan<byte> data, string name)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private ulong _cache;   // the next bits, most significant first
    private int _cached;    // how many of them are valid
    private int _next;      // the next byte to load

    /// <summary>Bytes consumed, a partly read byte counting as whole.</summary>
    public readonly int BytePosition => ((_next * 8 - _cached) + 7) >> 3;

    public uint Read(int bits)
    {
        if (bits == 0) return 0;
        if (_cached < bits) Refill();
        if (_cached < bits) throw Truncated();
        uint v = (uint)(_cache >> (64 - bits));
        _cache <<= bits;
        _cached -= bits;
        return v;
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
            if (_cached == 0) Refill();
            if (_cached == 0) throw Truncated();
            int zeros = BitOperations.LeadingZeroCount(_cache);
            if (zeros < _cached)
            {
                _cache <<= zeros + 1;
                _cached -= zeros + 1;
                return n + zeros;
            }
            n += _cached;
            _cache = 0;
            _cached = 0;
            if (n > 1 << 20) throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: FLAC Rice code runs too long");
        }
    }

    public int Rice(int parameter)
    {
        long q = Unary();
        long u = q << parameter | Read(parameter);
        return (int)((u >> 1) ^ -(u & 1));
    }

    public void AlignToByte()
    {
        int partial = (_next * 8 - _cached) & 7;
        if (partial != 0) Read(8 - partial);
    }

    private void Refill()
    {
        while (_cached <= 56 && _next < _data.Length)
        {
            _cache |= (ulong)_data[_next++] << (56 - _cached);
            _cached += 8;
        }
    }

    private readonly LabelStampException Truncated() => new(ErrorCode.TruncatedInput, $"{name}: a FLAC frame is cut off");
}
