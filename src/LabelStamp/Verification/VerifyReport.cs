namespace LabelStamp.Verification;

/// <summary>Every layer of one file, as `labelstamp verify` prints it.</summary>
public sealed record VerifyReport(
    string File,
    string? Format,
    LayerFinding Explicit,
    LayerFinding Metadata,
    LayerFinding Watermark,
    LayerFinding Provenance)
{
    public string? ErrorCode { get; init; }
    public string? Error { get; init; }

    /// <summary>True when any layer says the content is AI-generated (exit code 0 of verify).</summary>
    public bool AiLabelFound => ErrorCode is null &&
        (Explicit.State == LayerState.Found || Metadata.State == LayerState.Found
         || Watermark.State == LayerState.Found || Provenance.State == LayerState.Found);

    public static VerifyReport Failed(string file, string code, string message)
    {
        var skipped = LayerFinding.NotChecked("not checked: the file could not be read");
        return new VerifyReport(file, null, skipped, skipped, skipped, skipped) { ErrorCode = code, Error = message };
    }
}
