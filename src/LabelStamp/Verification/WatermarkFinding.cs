using System.Globalization;
using LabelStamp.Marks;

namespace LabelStamp.Verification;

/// <summary>Report row for a watermark reading (image, audio or video alike).</summary>
public static class WatermarkFinding
{
    /// <summary>The ID tier only (audio, video frames): found with the mark ID, or not found.</summary>
    public static LayerFinding From(MarkReading? reading) => reading is null
        ? new LayerFinding(LayerState.NotFound, "no watermark under this key")
        : new LayerFinding(LayerState.Found, Summary(reading), Details(reading));

    /// <summary>
    /// Both tiers (images): found (the mark ID was decoded), present (this key's mark is there by the
    /// zero-bit sync test, with a false-positive probability ≤ 1e-9, but its ID cannot be recovered), or
    /// not found. The presence probability is reported in every state, the ID's only when found.
    /// </summary>
    public static LayerFinding From(MarkVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        string presence = verdict.PresenceFalsePositiveProbability.ToString("R", CultureInfo.InvariantCulture);
        if (verdict.Reading is { } reading)
        {
            var details = Details(reading);
            details["presenceFalsePositiveProbability"] = presence;
            details["presenceEvidence"] = verdict.Evidence;
            return new LayerFinding(LayerState.Found, Summary(reading), details);
        }
        var rest = new Dictionary<string, string>
        {
            ["keyId"] = verdict.KeyId,
            ["presenceFalsePositiveProbability"] = presence,
            ["presenceEvidence"] = verdict.Evidence,
        };
        return verdict.Present
            ? new LayerFinding(LayerState.Present, string.Create(CultureInfo.InvariantCulture,
                $"LabelStamp mark of key {verdict.KeyId} present, ID not recoverable (presence false-positive probability {verdict.PresenceFalsePositiveProbability:0.##e+0})"), rest)
            : new LayerFinding(LayerState.NotFound, "no watermark under this key", rest);
    }

    private static string Summary(MarkReading reading) => string.Create(CultureInfo.InvariantCulture,
        $"mark {reading.MarkId} (key {reading.KeyId}), {reading.BitErrorsCorrected} bit errors corrected, false-positive probability {reading.FalsePositiveProbability:0.##e+0}");

    private static Dictionary<string, string> Details(MarkReading reading) => new()
    {
        ["markId"] = reading.MarkId.ToString(),
        ["keyId"] = reading.KeyId,
        ["bitErrorsCorrected"] = reading.BitErrorsCorrected.ToString(CultureInfo.InvariantCulture),
        ["falsePositiveProbability"] = reading.FalsePositiveProbability.ToString("R", CultureInfo.InvariantCulture),
        ["geometry"] = reading.Geometry,
    };
}
