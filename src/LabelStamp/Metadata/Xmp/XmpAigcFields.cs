namespace LabelStamp.Metadata.Xmp;

/// <summary>What an XMP packet says about AI generation: the raw TC260:AIGC value and the IPTC source type.</summary>
public sealed record XmpAigcFields(string? AigcJson, string? DigitalSourceType, int AigcCount);
