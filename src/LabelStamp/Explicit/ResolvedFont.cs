namespace LabelStamp.Explicit;

/// <summary>A font file (and face index inside a collection) with the Pango description that selects it.</summary>
public sealed record ResolvedFont(string File, int FaceIndex, string Family, string Style)
{
    /// <summary>Pango font description without size, e.g. "Noto Sans CJK SC Bold".</summary>
    public string PangoDescription => Style is "" or "Regular" ? Family : $"{Family} {Style}";
}
