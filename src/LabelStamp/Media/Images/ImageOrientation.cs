using NetVips;

namespace LabelStamp.Media.Images;

/// <summary>
/// EXIF orientation (1–8). Labels and the watermark are applied to the image as a person sees it
/// (so "bottom-right" is bottom-right on screen); the result is turned back to the stored orientation,
/// and the EXIF tag kept, so the file's layout and dimensions stay as they were.
/// </summary>
public static class ImageOrientation
{
    public static int Of(Image image) =>
        image.Contains("orientation") && image.Get("orientation") is int o && o is >= 1 and <= 8 ? o : 1;

    /// <summary>The stored pixels as displayed (what viewers do on reading the tag).</summary>
    public static Image ToDisplay(Image stored, int orientation) => orientation switch
    {
        2 => stored.FlipHor(),
        3 => stored.Rot180(),
        4 => stored.FlipVer(),
        5 => stored.Rot90().FlipHor(),
        6 => stored.Rot90(),
        7 => stored.Rot270().FlipHor(),
        8 => stored.Rot270(),
        _ => stored,
    };

    /// <summary>The inverse of <see cref="ToDisplay"/>.</summary>
    public static Image ToStored(Image display, int orientation) => orientation switch
    {
        2 => display.FlipHor(),
        3 => display.Rot180(),
        4 => display.FlipVer(),
        5 => display.FlipHor().Rot270(),
        6 => display.Rot270(),
        7 => display.FlipHor().Rot90(),
        8 => display.Rot90(),
        _ => display,
    };
}
