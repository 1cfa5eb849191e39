namespace LabelStamp.Platform;

/// <summary>The four outcomes of platform (propagator) mode (spec §8), as written to <c>ls-platform-result</c>.</summary>
public enum PlatformResult
{
    /// <summary>The item carried an AIGC label: kept, propagation fields filled, nothing re-marked.</summary>
    Kept,
    /// <summary>No label, but the uploader declared AI content: Label "2" and the "possibly AI" notice.</summary>
    Declared,
    /// <summary>No label and no declaration, but our watermark or a visible label was found: Label "3" and the "suspected AI" notice.</summary>
    Suspected,
    /// <summary>Nothing found: the bytes pass through unchanged.</summary>
    None,
}
