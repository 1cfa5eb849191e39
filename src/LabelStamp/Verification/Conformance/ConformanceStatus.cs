namespace LabelStamp.Verification.Conformance;

/// <summary>The outcome of one conformance check. <see cref="NotMeasured"/> is its own state: a check verify
/// could not make (no key for the watermark, no label to measure) is never counted as passed.</summary>
public enum ConformanceStatus
{
    Pass,
    Fail,
    NotApplicable,
    NotMeasured,
}
