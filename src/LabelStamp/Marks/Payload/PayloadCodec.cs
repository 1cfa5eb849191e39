using System.Buffers.Binary;
using LabelStamp.Labels;

namespace LabelStamp.Marks.Payload;

/// <summary>
/// The payload coder shared by the image and audio marks. Layout (104 bits, most significant bit of
/// each byte first): mark ID (8 bytes, big-endian) ‖ version·16 + key nibble (1 byte) ‖ CRC-32 of those
/// 9 bytes (4 bytes, big-endian). The 104 bits are convolutionally coded (rate 1/3, K = 7, 6 tail bits)
/// into 330 coded bits. Coded bits travel as ±1 (<c>+1</c> = bit 1); soft bits coming back use the
/// same sign, any scale.
/// </summary>
public static class PayloadCodec
{
    public const int DataBytes = 9;
    public const int PayloadBits = (DataBytes + 4) * 8;
    public const int CodedBits = (PayloadBits + ConvolutionalCode.TailBits) * ConvolutionalCode.Rate;

    public static sbyte[] Encode(MarkPayload payload)
    {
        sbyte[] coded = new sbyte[CodedBits];
        Encode(payload, coded);
        return coded;
    }

    public static void Encode(MarkPayload payload, Span<sbyte> coded)
    {
        if (coded.Length != CodedBits) throw new ArgumentException($"need {CodedBits} coded bits", nameof(coded));
        Span<byte> bits = stackalloc byte[PayloadBits];
        ToBits(payload, bits);
        Span<byte> c = stackalloc byte[CodedBits];
        ConvolutionalCode.Encode(bits, c);
        for (int i = 0; i < CodedBits; i++) coded[i] = (sbyte)(c[i] * 2 - 1);
    }

    /// <summary>
    /// Viterbi-decodes soft bits (positive = 1) and checks the CRC. Returns null when the CRC fails:
    /// a payload that failed its CRC is never handed out.
    /// </summary>
    public static PayloadDecode? Decode(ReadOnlySpan<float> softBits)
    {
        if (softBits.Length != CodedBits) throw new ArgumentException($"need {CodedBits} soft bits", nameof(softBits));
        Span<byte> bits = stackalloc byte[PayloadBits];
        ConvolutionalCode.Decode(softBits, bits);
        return Check(softBits, bits);
    }

    /// <summary>
    /// List decoding: the <paramref name="listSize"/> most likely words of the convolutional code (list
    /// Viterbi), best first, and the first whose CRC passes (and, when <paramref name="keyNibble"/> is
    /// given, whose key nibble is that one: a CRC-valid word of another key further up the list must not
    /// hide the right one below it). Every word tried can pass the checks by chance, so a caller's
    /// false-positive bound must count listSize decodes, not one. Returns the payload and the rank it was
    /// found at (0 = the plain Viterbi word), or null.
    /// </summary>
    public static (PayloadDecode Decode, int Rank)? DecodeList(ReadOnlySpan<float> softBits, int listSize, int? keyNibble = null)
    {
        if (softBits.Length != CodedBits) throw new ArgumentException($"need {CodedBits} soft bits", nameof(softBits));
        var words = new byte[listSize * PayloadBits];
        ConvolutionalCode.DecodeList(softBits, listSize, PayloadBits, words);
        for (int r = 0; r < listSize; r++)
            if (Check(softBits, words.AsSpan(r * PayloadBits, PayloadBits)) is { } d && (keyNibble is null || d.Payload.KeyNibble == keyNibble)) return (d, r);
        return null;
    }

    /// <summary>The payload of a decoded word if its CRC-32 passes, with the coded bits it disagrees on.</summary>
    private static PayloadDecode? Check(ReadOnlySpan<float> softBits, ReadOnlySpan<byte> bits)
    {
        Span<byte> bytes = stackalloc byte[DataBytes + 4];
        for (int i = 0; i < bytes.Length; i++)
        {
            int v = 0;
            for (int k = 0; k < 8; k++) v = (v << 1) | bits[i * 8 + k];
            bytes[i] = (byte)v;
        }
        if (Crc32.Compute(bytes[..DataBytes]) != BinaryPrimitives.ReadUInt32BigEndian(bytes[DataBytes..])) return null;

        Span<byte> recoded = stackalloc byte[CodedBits];
        ConvolutionalCode.Encode(bits, recoded);
        int errors = 0;
        for (int i = 0; i < CodedBits; i++)
            if ((softBits[i] > 0 ? 1 : 0) != recoded[i]) errors++;

        var payload = new MarkPayload(new MarkId(BinaryPrimitives.ReadUInt64BigEndian(bytes)),
            (byte)(bytes[8] >> 4), (byte)(bytes[8] & 0x0F));
        return new PayloadDecode(payload, errors, CodedBits);
    }

    private static void ToBits(MarkPayload payload, Span<byte> bits)
    {
        Span<byte> bytes = stackalloc byte[DataBytes + 4];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, payload.MarkId.Value);
        bytes[8] = (byte)((payload.Version << 4) | payload.KeyNibble);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[DataBytes..], Crc32.Compute(bytes[..DataBytes]));
        for (int i = 0; i < bytes.Length; i++)
            for (int k = 0; k < 8; k++) bits[i * 8 + k] = (byte)((bytes[i] >> (7 - k)) & 1);
    }
}
