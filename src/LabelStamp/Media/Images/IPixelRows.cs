namespace LabelStamp.Media.Images;

/// <summary>
/// Rows of a decoded 8-bit frame (the layout of <see cref="PixelBuffer"/>) that may hold only some of
/// the frame's rows in memory: what the visible-label detector reads. It looks only near the top and
/// bottom edges, so `verify` of a large image decodes those bands instead of the whole frame
/// (<see cref="EdgeBands"/>); a <see cref="PixelBuffer"/> holds every row.
/// </summary>
public interface IPixelRows
{
    /// <summary>The frame's width.</summary>
    int Width { get; }

    /// <summary>The frame's height, whether or not every row is held.</summary>
    int Height { get; }

    int Bands { get; }

    /// <summary>Colour bands (1 or 3), not counting alpha.</summary>
    int ColourBands { get; }

    /// <summary>Whether rows <paramref name="top"/> to <paramref name="bottom"/> (exclusive) are all held.</summary>
    bool Holds(int top, int bottom);

    /// <summary>One held row, <see cref="Width"/> × <see cref="Bands"/> bytes.</summary>
    ReadOnlySpan<byte> Row(int y);
}
