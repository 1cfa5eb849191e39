using LabelStamp.Labels;
using LabelStamp.Media.Images;

namespace LabelStamp.Explicit;

/// <summary>
/// Finds our own visible label: for each candidate wording and corner it renders the label exactly as
/// <see cref="LabelGeometry"/> would have placed it for an image of this size, and correlates the
/// image's luma with the rendered text mask (zero-mean normalised cross-correlation). White text on a
/// dark plate correlates near 1 even after JPEG re-encoding; natural image content does not. A small
/// offset search absorbs rounding after a uniform resize.
/// </summary>
public sealed class ExplicitLabelDetector
{
    /// <summary>NCC above which the text is declared present. Measured: labeled samples score ≥ 0.9,
    /// unlabeled photo corners stay under 0.3.</summary>
    public const double Threshold = 0.6;
    private const int SearchRadius = 3;
    private readonly LabelRenderer _renderer;

    public ExplicitLabelDetector(LabelRenderer? renderer = null) => _renderer = renderer ?? new LabelRenderer();

    /// <summary>
    /// Ink heights, as fractions of the shorter side, tried when nothing matches at the rule's size: a label
    /// drawn smaller than GB 45438 §5 allows (by another tool, or a video's corner label in a still) is
    /// still found, so that a report can say it is too small instead of saying there is none.
    /// </summary>
    public static IReadOnlyList<double> SmallerFractions { get; } = [0.045, 0.04, 0.035, 0.03, 0.025];

    /// <param name="smaller">Also look for the label below the rule's size (<see cref="SmallerFractions"/>); the video
    /// inspector asks for the opening label at the rule's size only and looks for its smaller corner label itself.</param>
    public ExplicitLabelMatch? Detect(IPixelRows image, IEnumerable<LabelWording> wordings, LabelPolicy policy, bool smaller = true)
    {
        var candidates = wordings as IReadOnlyList<LabelWording> ?? wordings.ToList();
        int ruleHeight = LabelGeometry.TextHeight(image.Width, image.Height, policy);
        var atRule = DetectAt(image, candidates, policy, ruleHeight);
        if (atRule is not null || !smaller) return atRule;
        int shorter = Math.Min(image.Width, image.Height);
        int previous = ruleHeight;
        foreach (double fraction in SmallerFractions)
        {
            int height = (int)Math.Ceiling(shorter * fraction);
            if (height >= previous || height < LabelGeometry.MinLegibleTextHeight) continue;
            previous = height;
            if (DetectAt(image, candidates, policy, height) is { } small) return small;
        }
        return null;
    }

    private ExplicitLabelMatch? DetectAt(IPixelRows image, IReadOnlyList<LabelWording> wordings, LabelPolicy policy, int textHeight)
    {
        int inset = LabelGeometry.Inset(image.Width, image.Height, policy);
        ExplicitLabelMatch? best = null;
        foreach (var wording in wordings)
        {
            var overlay = _renderer.Render(wording, policy.Font, textHeight, policy.PlateOpacity);
            if (overlay.Width + 2 * inset > image.Width || overlay.Height + 2 * inset > image.Height) continue;
            foreach (var corner in Enum.GetValues<LabelCorner>())
            {
                var (x0, y0) = LabelGeometry.Place(image.Width, image.Height, overlay.Width, overlay.Height, corner, inset, "");
                double score = Correlate(image, overlay, x0, y0);
                int bx = x0, by = y0;
                if (score > 0.3 && score < 0.98)
                    for (int dy = -SearchRadius; dy <= SearchRadius; dy++)
                        for (int dx = -SearchRadius; dx <= SearchRadius; dx++)
                        {
                            if (dx == 0 && dy == 0) continue;
                            double s = Correlate(image, overlay, x0 + dx, y0 + dy);
                            if (s > score) (score, bx, by) = (s, x0 + dx, y0 + dy);
                        }
                if (best is null || score > best.Score) best = new ExplicitLabelMatch(wording, corner, bx, by, score) { Overlay = overlay };
            }
        }
        return best is not null && best.Score >= Threshold ? best : null;
    }

    /// <summary>
    /// Rows from the top edge, and from the bottom edge, that <see cref="Detect"/> reads in an image of
    /// this size: the inset, the tallest label at the rule's size and the offset search. `verify`
    /// decodes only these bands of a large image (<see cref="EdgeBands"/>). The smaller sizes tried
    /// after the rule's are shorter still; <see cref="Correlate"/> scores any placement whose rows are
    /// not held as no match, so the bands can never be read past.
    /// </summary>
    public int EdgeDepth(int width, int height, IEnumerable<LabelWording> wordings, LabelPolicy policy)
    {
        int textHeight = LabelGeometry.TextHeight(width, height, policy);
        int tallest = 0;
        foreach (var wording in wordings)
            tallest = Math.Max(tallest, _renderer.Render(wording, policy.Font, textHeight, policy.PlateOpacity).Height);
        return (int)Math.Min(height, (long)LabelGeometry.Inset(width, height, policy) + tallest + SearchRadius);
    }

    /// <summary>Zero-mean normalised cross-correlation of the image's luma with the overlay's text mask
    /// placed at (<paramref name="x0"/>, <paramref name="y0"/>); 0 when it does not fit or its rows are
    /// not held. Also used by the video inspector for the smaller corner label, whose size is not the
    /// image rule's.</summary>
    public static double Correlate(IPixelRows image, LabelOverlay overlay, int x0, int y0)
    {
        if (x0 < 0 || y0 < 0 || x0 + overlay.Width > image.Width || y0 + overlay.Height > image.Height) return 0;
        if (!image.Holds(y0, y0 + overlay.Height)) return 0;
        int bands = image.Bands, colourBands = image.ColourBands;
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        int n = overlay.Width * overlay.Height;
        for (int y = 0; y < overlay.Height; y++)
        {
            var row = image.Row(y0 + y);
            for (int x = 0; x < overlay.Width; x++)
            {
                int p = (x0 + x) * bands;
                double luma = colourBands == 3 ? 0.299 * row[p] + 0.587 * row[p + 1] + 0.114 * row[p + 2] : row[p];
                double t = overlay.TextMask[y * overlay.Width + x];
                sx += t; sy += luma; sxx += t * t; syy += luma * luma; sxy += t * luma;
            }
        }
        double cov = sxy - sx * sy / n, vx = sxx - sx * sx / n, vy = syy - sy * sy / n;
        return vx <= 0 || vy <= 1e-9 ? 0 : cov / Math.Sqrt(vx * vy);
    }
}
