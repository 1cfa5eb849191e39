using System.Globalization;
using LabelStamp.Explicit;
using LabelStamp.Labels;

namespace LabelStamp.Verification;

/// <summary>
/// The detail keys of a measured visible label, written the same way for images and video frames so the
/// conformance checks (<see cref="Conformance.ConformanceRules"/>) and the verifier page read one vocabulary:
/// the plate's box, the measured ink height against the shorter side, and the measured contrast.
/// </summary>
internal static class ExplicitDetails
{
    public static void Add(IDictionary<string, string> details, LabelMeasurement m, LabelCorner corner)
    {
        details["position"] = CornerName(corner);
        details["x"] = Int(m.X);
        details["y"] = Int(m.Y);
        details["width"] = Int(m.Width);
        details["height"] = Int(m.Height);
        details["inkHeight"] = Int(m.InkHeight);
        details["shortSide"] = Int(m.ShortSide);
        details["inkHeightFraction"] = m.InkHeightFraction.ToString("0.0000", CultureInfo.InvariantCulture);
        details["textLuma"] = m.TextLuma.ToString("0", CultureInfo.InvariantCulture);
        details["plateLuma"] = m.PlateLuma.ToString("0", CultureInfo.InvariantCulture);
        details["contrast"] = m.Contrast.ToString("0.00", CultureInfo.InvariantCulture);
    }

    public static string CornerName(LabelCorner corner) => corner switch
    {
        LabelCorner.BottomRight => "bottom-right", LabelCorner.BottomLeft => "bottom-left", LabelCorner.TopRight => "top-right", _ => "top-left",
    };

    private static string Int(int v) => v.ToString(CultureInfo.InvariantCulture);
}
