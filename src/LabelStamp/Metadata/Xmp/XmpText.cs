using System.Text;
using LabelStamp.Errors;
using LabelStamp.Pipeline;

namespace LabelStamp.Metadata.Xmp;

/// <summary>An XMP packet's bytes as text, refused over <see cref="MetadataLimits.MaxXmpBytes"/> before decoding.</summary>
public static class XmpText
{
    public static string Decode(ReadOnlySpan<byte> packet, MetadataLimits limits, string name) =>
        packet.Length <= limits.MaxXmpBytes
            ? Encoding.UTF8.GetString(packet)
            : throw TooLarge(name, $"{packet.Length} bytes", limits);

    public static LabelStampException TooLarge(string name, string size, MetadataLimits limits) =>
        new(ErrorCode.MetadataTooLarge, $"{name}: XMP packet of {size} is over the limit of {limits.MaxXmpBytes} bytes (Limits:Metadata:MaxXmpBytes)");
}
