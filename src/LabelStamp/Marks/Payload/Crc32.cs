namespace LabelStamp.Marks.Payload;

/// <summary>
/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, init and final XOR 0xFFFFFFFF), bitwise:
/// it runs over 9 bytes per decode, so a table buys nothing. Check value of "123456789" is 0xCBF43926.
/// </summary>
internal static class Crc32
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }
}
