using LabelStamp.Media.Images;

namespace LabelStamp.Explicit;

/// <summary>
/// What a found label measures in the pixels it was found in, the quantities GB 45438 §5 and spec §3 put
/// floors under: the ink height of its text against the shorter side, and the contrast of its text
/// against its plate. The template that matched says which pixels are text and which are plate; the
/// levels and the ink rows are then read from the image itself, so a label drawn too small or on a plate
/// too light measures as such (the template's own sizes are never reported as measurements).
/// </summary>
public sealed record LabelMeasurement(int X, int Y, int Width, int Height, int InkHeight, int ShortSide, double TextLuma, double PlateLuma, double Contrast)
{
    /// <summary>Template coverage (0–255) at and above which a pixel counts as text.</summary>
    private const byte TextCoverage = 200;

    /// <summary>Plate pixels keep this many pixels away from any text coverage (anti-aliasing, codec ringing).</summary>
    private const int PlateClearance = 2;

    public double InkHeightFraction => ShortSide == 0 ? 0 : (double)InkHeight / ShortSide;

    /// <summary>Measures the label <paramref name="match"/> found in <paramref name="image"/>; null when the
    /// match carries no template, its rows are not held, or the template has no text or plate pixels
    /// inside the image.</summary>
    public static LabelMeasurement? Measure(IPixelRows image, ExplicitLabelMatch match)
    {
        if (match.Overlay is not { } overlay) return null;
        int x0 = match.X, y0 = match.Y, w = overlay.Width, h = overlay.Height;
        if (x0 < 0 || y0 < 0 || x0 + w > image.Width || y0 + h > image.Height || !image.Holds(y0, y0 + h)) return null;

        Span<int> textHistogram = stackalloc int[256];
        Span<int> plateHistogram = stackalloc int[256];
        textHistogram.Clear();
        plateHistogram.Clear();
        byte plateAlpha = 0;
        for (int i = 0; i < overlay.Alpha.Length; i++)
            if (overlay.TextMask[i] == 0 && overlay.Alpha[i] > plateAlpha) plateAlpha = overlay.Alpha[i];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = y * w + x;
                int luma = Luma(image, x0 + x, y0 + y);
                if (overlay.TextMask[i] >= TextCoverage) textHistogram[luma]++;
                else if (overlay.Alpha[i] == plateAlpha && plateAlpha > 0 && ClearOfText(overlay, x, y)) plateHistogram[luma]++;
            }
        if (Count(textHistogram) == 0 || Count(plateHistogram) == 0) return null;
        double text = Median(textHistogram), plate = Median(plateHistogram);
        double contrast = LabelContrast.Ratio(LabelContrast.Luminance(text), LabelContrast.Luminance(plate));

        // Ink rows: rows of the plate holding pixels on the text side of the midpoint between the two levels
        // (the renderer's own ink height counts rows of ≥ 50 % coverage, the same midpoint). Only pixels under
        // the plate count: its rounded corners leave the background showing, which may be as bright as text.
        // The plate's outer PlateClearance pixels do not count either: a match a pixel off (a resized
        // image; verify's shrunk copy of a large one) puts a row of background there, and a bright
        // background row counted as ink stretched the measured height by the whole top padding.
        bool[] inner = InnerPlate(overlay, plateAlpha);
        double threshold = (text + plate) / 2;
        bool brighter = text >= plate;
        int minPixels = Math.Max(2, w / 100);
        int first = -1, last = -1;
        for (int y = 0; y < h; y++)
        {
            int count = 0;
            for (int x = 0; x < w; x++)
            {
                if (!inner[y * w + x]) continue;
                int luma = Luma(image, x0 + x, y0 + y);
                if (brighter ? luma > threshold : luma < threshold) count++;
            }
            if (count >= minPixels)
            {
                if (first < 0) first = y;
                last = y;
            }
        }
        int ink = first < 0 ? 0 : last - first + 1;
        return new LabelMeasurement(x0, y0, w, h, ink, Math.Min(image.Width, image.Height), text, plate, contrast);
    }

    private static int Luma(IPixelRows image, int x, int y)
    {
        var row = image.Row(y);
        int p = x * image.Bands;
        return image.ColourBands == 3 ? (int)Math.Round(0.299 * row[p] + 0.587 * row[p + 1] + 0.114 * row[p + 2]) : row[p];
    }

    /// <summary>Plate pixels (alpha at least the plate's) whose neighbours within
    /// <see cref="PlateClearance"/> in both directions are plate too: the plate eroded by that much.</summary>
    private static bool[] InnerPlate(LabelOverlay overlay, byte plateAlpha)
    {
        int w = overlay.Width, h = overlay.Height, c = PlateClearance;
        var across = new bool[w * h];
        for (int y = 0; y < h; y++)
            for (int x = c; x < w - c; x++)
            {
                bool all = true;
                for (int dx = -c; dx <= c && all; dx++) all = overlay.Alpha[y * w + x + dx] >= plateAlpha;
                across[y * w + x] = all;
            }
        var inner = new bool[w * h];
        for (int y = c; y < h - c; y++)
            for (int x = 0; x < w; x++)
            {
                bool all = true;
                for (int dy = -c; dy <= c && all; dy++) all = across[(y + dy) * w + x];
                inner[y * w + x] = all;
            }
        return inner;
    }

    private static bool ClearOfText(LabelOverlay overlay, int x, int y)
    {
        for (int dy = -PlateClearance; dy <= PlateClearance; dy++)
            for (int dx = -PlateClearance; dx <= PlateClearance; dx++)
            {
                int xx = x + dx, yy = y + dy;
                if (xx < 0 || yy < 0 || xx >= overlay.Width || yy >= overlay.Height) continue;
                if (overlay.TextMask[yy * overlay.Width + xx] != 0) return false;
            }
        return true;
    }

    private static int Count(ReadOnlySpan<int> histogram)
    {
        int n = 0;
        foreach (int c in histogram) n += c;
        return n;
    }

    private static double Median(ReadOnlySpan<int> histogram)
    {
        int half = (Count(histogram) + 1) / 2, seen = 0;
        for (int v = 0; v < histogram.Length; v++)
        {
            seen += histogram[v];
            if (seen >= half) return v;
        }
        return histogram.Length - 1;
    }
}
