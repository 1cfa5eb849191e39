namespace LabelStamp.Platform;

/// <summary>The header spellings of <see cref="PlatformResult"/> and <see cref="PlatformEvidence"/>.</summary>
public static class PlatformText
{
    public static string Format(PlatformResult result) => result switch
    {
        PlatformResult.Kept => "kept",
        PlatformResult.Declared => "declared",
        PlatformResult.Suspected => "suspected",
        _ => "none",
    };

    /// <summary>A comma list such as "aigc,watermark", or "none".</summary>
    public static string Format(PlatformEvidence evidence)
    {
        var parts = new List<string>(6);
        if ((evidence & PlatformEvidence.AigcLabel) != 0) parts.Add("aigc");
        if ((evidence & PlatformEvidence.DigitalSourceType) != 0) parts.Add("digital-source-type");
        if ((evidence & PlatformEvidence.Watermark) != 0) parts.Add("watermark");
        if ((evidence & PlatformEvidence.Explicit) != 0) parts.Add("explicit");
        if ((evidence & PlatformEvidence.C2paAiGenerated) != 0) parts.Add("c2pa-ai");
        if ((evidence & PlatformEvidence.C2paManifest) != 0) parts.Add("c2pa");
        return parts.Count == 0 ? "none" : string.Join(',', parts);
    }
}
