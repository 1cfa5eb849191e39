namespace LabelStamp.Verification.Conformance;

/// <summary>The conformance checklist of one file (`verify --report`, the verifier page's download).</summary>
public sealed record ConformanceReport(string File, string? Format, string? Kind, IReadOnlyList<ConformanceCheck> Checks)
{
    /// <summary>Stable error code when the file could not be verified; every check is then not measured.</summary>
    public string? ErrorCode { get; init; }

    public int Count(ConformanceStatus status) => Checks.Count(c => c.Status == status);

    public ConformanceCheck this[string id] => Checks.First(c => c.Id == id);
}
