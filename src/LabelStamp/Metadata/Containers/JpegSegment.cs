namespace LabelStamp.Metadata.Containers;

/// <summary>One JPEG marker segment before the scan: the marker byte (e.g. 0xE1 for APP1) and its
/// payload without the marker and the two length bytes.</summary>
public sealed record JpegSegment(byte Marker, ReadOnlyMemory<byte> Payload)
{
    public const byte App0 = 0xE0, App1 = 0xE1, App2 = 0xE2, App11 = 0xEB, App14 = 0xEE, Dqt = 0xDB, Sos = 0xDA, Com = 0xFE;

    /// <summary>Largest payload a segment can hold: the 16-bit length counts itself.</summary>
    public const int MaxPayload = 65533;

    /// <summary>True for APPn segments whose payload starts with the given identifier (e.g. "Exif\0\0").</summary>
    public bool IsApp(byte marker, ReadOnlySpan<byte> identifier) => Marker == marker && Payload.Span.StartsWith(identifier);

    /// <summary>Start-of-frame markers (SOF0–SOF15 except DHT, JPG and DAC).</summary>
    public bool IsStartOfFrame => Marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
}
