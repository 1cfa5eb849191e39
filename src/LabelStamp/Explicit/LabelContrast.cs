namespace LabelStamp.Explicit;

/// <summary>
/// WCAG 2 contrast arithmetic for the white-text-on-dark-plate label. The plate is black at opacity α
/// composited over an unknown background; the worst case is a white background, where the plate's
/// colour is 255·(1 − α). Text is opaque white (relative luminance 1).
/// </summary>
public static class LabelContrast
{
    public const double Required = 4.5;

    /// <summary>Relative luminance of an sRGB grey level 0–255 (WCAG 2 definition).</summary>
    public static double Luminance(double level)
    {
        double c = level / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }

    /// <summary>WCAG contrast ratio between two luminances.</summary>
    public static double Ratio(double l1, double l2) => (Math.Max(l1, l2) + 0.05) / (Math.Min(l1, l2) + 0.05);

    /// <summary>Contrast of white text against the plate over the worst (white) background.</summary>
    public static double WorstCase(double plateOpacity) => Ratio(1.0, Luminance(255.0 * (1 - plateOpacity)));

    /// <summary>The least plate opacity that still gives 4.5:1 in the worst case (≈ 0.533).</summary>
    public static double MinPlateOpacity { get; } = Solve();

    private static double Solve()
    {
        double lo = 0, hi = 1;
        for (int i = 0; i < 60; i++)
        {
            double mid = (lo + hi) / 2;
            if (WorstCase(mid) >= Required) hi = mid; else lo = mid;
        }
        return hi;
    }
}
