namespace LabelStamp.Platform;

/// <summary>What the platform found in an upload before deciding (recorded in <c>ls-platform-evidence</c>).</summary>
[Flags]
public enum PlatformEvidence
{
    None = 0,
    /// <summary>A readable GB 45438 AIGC record.</summary>
    AigcLabel = 1,
    /// <summary>IPTC DigitalSourceType trainedAlgorithmicMedia in XMP, without an AIGC record.</summary>
    DigitalSourceType = 2,
    /// <summary>Our invisible watermark, under the platform's key.</summary>
    Watermark = 4,
    /// <summary>A visible label (image) or the rhythm prompt (audio).</summary>
    Explicit = 8,
    /// <summary>A C2PA manifest whose actions say trainedAlgorithmicMedia.</summary>
    C2paAiGenerated = 16,
    /// <summary>A C2PA manifest of any kind (kept; a new one may name it as ingredient).</summary>
    C2paManifest = 32,
}
