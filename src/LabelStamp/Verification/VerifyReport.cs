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

    /// <summary>image, audio or video as inspected (an MP4 without a video track is audio); null when the file could not be read.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Kind { get; init; }

    /// <summary>Only when asked for (<see cref="VerifyOptions.Preview"/>): the frame the visible-label box is in.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public FramePreview? Preview { get; init; }

    /// <summary>True when any layer says the content is AI-generated (exit code 0 of verify). A valid C2PA
    /// manifest counts only when its digitalSourceType is an AI one (spec §6).</summary>
    public bool AiLabelFound => ErrorCode is null &&
        (Explicit.CountsAsAiLabel || Metadata.CountsAsAiLabel || Watermark.CountsAsAiLabel || Provenance.CountsAsAiLabel);

    public static VerifyReport Failed(string file, string code, string message)
    {
        var skipped = LayerFinding.NotChecked("not checked: the file could not be read");
        return new VerifyReport(file, null, skipped, skipped, skipped, skipped) { ErrorCode = code, Error = message };
    }
}
