using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace LabelStamp.Labels;

/// <summary>
/// The 64-bit watermark payload identity (spec §5): the first 64 bits of
/// HMAC-SHA256(key, UTF-8(ContentProducer) ‖ 0x00 ‖ UTF-8(ProduceID)). The zero byte keeps
/// ("ab","c") and ("a","bc") apart; it can never occur inside an Annex E value.
/// </summary>
public readonly record struct MarkId(ulong Value)
{
    public static MarkId Compute(MarkKey key, string contentProducer, string produceId)
    {
        byte[] data = new byte[Encoding.UTF8.GetByteCount(contentProducer) + 1 + Encoding.UTF8.GetByteCount(produceId)];
        int n = Encoding.UTF8.GetBytes(contentProducer, data);
        data[n] = 0;
        Encoding.UTF8.GetBytes(produceId, data.AsSpan(n + 1));
        Span<byte> mac = stackalloc byte[32];
        key.Mac(data, mac);
        return new MarkId(BinaryPrimitives.ReadUInt64BigEndian(mac));
    }

    public override string ToString() => Value.ToString("x16", CultureInfo.InvariantCulture);

    public static MarkId Parse(string hex) => new(ulong.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
}
