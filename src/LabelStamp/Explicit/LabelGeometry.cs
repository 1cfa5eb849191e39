using LabelStamp.Errors;
using LabelStamp.Labels;

namespace LabelStamp.Explicit;

/// <summary>
/// The size-and-place rule shared by stamping and detection: text ink height is the policy's fraction of
/// the shorter side (never under GB 45438's 5 %, never under a legible minimum), the plate sits in the
/// chosen corner at the inset. Because it depends only on the image size, a detector can predict
/// exactly where and how large our label must be, even after the image was uniformly resized.
/// </summary>
public static class LabelGeometry
{
    /// <summary>Below this many pixels of ink, text is not legible whatever the rule says.</summary>
    public const int MinLegibleTextHeight = 10;

    public static int TextHeight(int width, int height, LabelPolicy policy)
    {
        int shorter = Math.Min(width, height);
        return Math.Max(MinLegibleTextHeight, (int)Math.Ceiling(shorter * Math.Max(policy.TextHeightFraction, LabelPolicy.MinTextHeightFraction)));
    }

    public static int Inset(int width, int height, LabelPolicy policy) =>
        (int)Math.Round(Math.Min(width, height) * policy.InsetFraction);

    /// <summary>Top-left of the overlay in the image, or a typed error when it does not fit.</summary>
    public static (int X, int Y) Place(int width, int height, int overlayWidth, int overlayHeight, LabelCorner corner, int inset, string name)
    {
        if (overlayWidth + 2 * inset > width || overlayHeight + 2 * inset > height)
            throw new LabelStampException(ErrorCode.LabelDoesNotFit,
                $"{name}: a legible label ({overlayWidth}×{overlayHeight} px) does not fit a {width}×{height} image; use shorter wording or a larger image");
        int x = corner is LabelCorner.BottomRight or LabelCorner.TopRight ? width - inset - overlayWidth : inset;
        int y = corner is LabelCorner.BottomRight or LabelCorner.BottomLeft ? height - inset - overlayHeight : inset;
        return (x, y);
    }
}
