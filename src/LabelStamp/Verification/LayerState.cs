namespace LabelStamp.Verification;

/// <summary>What verify learned about one layer.</summary>
public enum LayerState
{
    /// <summary>The layer is present and valid.</summary>
    Found,
    /// <summary>Watermark only: the key's mark is present (zero-bit detection with its own false-positive
    /// bound ≤ 1e-9) but its ID could not be recovered.</summary>
    Present,
    /// <summary>Looked for and absent (e.g. metadata stripped by a platform).</summary>
    NotFound,
    /// <summary>Present but broken: malformed label, bad signature, duplicated AIGC record.</summary>
    Invalid,
    /// <summary>Not looked for: no key given, or not supported for this format in this build.</summary>
    NotChecked,
}
