using LabelStamp.Errors;

namespace LabelStamp.Labels;

/// <summary>The four layers of spec §2. A policy applies any subset; the default is all four.</summary>
[Flags]
public enum Layers
{
    None = 0,
    /// <summary>L1: the visible or audible label.</summary>
    Explicit = 1,
    /// <summary>L2: GB 45438 AIGC metadata + IPTC DigitalSourceType.</summary>
    Metadata = 2,
    /// <summary>L3: the invisible keyed watermark.</summary>
    Watermark = 4,
    /// <summary>L4: the signed C2PA manifest.</summary>
    Provenance = 8,
    All = Explicit | Metadata | Watermark | Provenance,
}

public static class LayersText
{
    private static readonly (string Name, Layers Layer)[] Names =
    [
        ("explicit", Layers.Explicit), ("metadata", Layers.Metadata),
        ("watermark", Layers.Watermark), ("c2pa", Layers.Provenance),
    ];

    /// <summary>Parses "all", "none" or a comma list such as "explicit,metadata".</summary>
    public static Layers Parse(string text)
    {
        var result = Layers.None;
        foreach (string raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string part = raw.ToLowerInvariant();
            if (part == "all") { result |= Layers.All; continue; }
            if (part == "none") continue;
            int i = Array.FindIndex(Names, n => n.Name == part || (part == "provenance" && n.Layer == Layers.Provenance));
            if (i < 0)
                throw new LabelStampException(ErrorCode.InvalidPolicy,
                    $"unknown layer '{raw}': use all, none or a comma list of explicit, metadata, watermark, c2pa");
            result |= Names[i].Layer;
        }
        return result;
    }

    /// <summary>The canonical comma list, as written in the ls-layers header.</summary>
    public static string Format(Layers layers)
    {
        var parts = new List<string>(4);
        foreach (var (name, layer) in Names)
            if ((layers & layer) != 0) parts.Add(name);
        return parts.Count == 0 ? "none" : string.Join(',', parts);
    }
}
