namespace LabelStamp.Tests.Marks;

/// <summary>Reaches the internal CRC-32 (InternalsVisibleTo) so its standard check value is tested.</summary>
internal static class Crc32Probe
{
    public static uint Of(ReadOnlySpan<byte> data) => LabelStamp.Marks.Payload.Crc32.Compute(data);
}
