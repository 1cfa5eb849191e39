using System.Globalization;
using LabelStamp.Marks;

namespace LabelStamp.Verification;

/// <summary>Report row for a watermark reading (image, audio or video alike).</summary>
public static class WatermarkFinding
{
    public static LayerFinding From(MarkReading? reading) => reading is null
        ? new LayerFinding(LayerState.NotFound, "no watermark under this key")
        : new LayerFinding(LayerState.Found,
            string.Create(CultureInfo.InvariantCulture,
                $"mark {reading.MarkId} (key {reading.KeyId}), {reading.BitErrorsCorrected} bit errors corrected, false-positive probability {reading.FalsePositiveProbability:0.##e+0}"),
            new Dictionary<string, string>
            {
                ["markId"] = reading.MarkId.ToString(),
                ["keyId"] = reading.KeyId,
                ["bitErrorsCorrected"] = reading.BitErrorsCorrected.ToString(CultureInfo.InvariantCulture),
                ["falsePositiveProbability"] = reading.FalsePositiveProbability.ToString("R", CultureInfo.InvariantCulture),
                ["geometry"] = reading.Geometry,
            });
}
