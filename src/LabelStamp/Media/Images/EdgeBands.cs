namespace LabelStamp.Media.Images;

/// <summary>
/// The rows of a frame near its top and bottom edges, and nothing between: where a corner label can
/// be. Holding these instead of the frame keeps `verify` of a 100-megapixel image within its memory
/// bound (docs/security.md).
/// </summary>
public sealed class EdgeBands : IPixelRows
{
    private readonly PixelBuffer _top;
    private readonly PixelBuffer _bottom;
    private readonly int _bottomStart;

    /// <param name="top">Rows 0 to <c>top.Height</c> of the frame.</param>
    /// <param name="bottom">The last <c>bottom.Height</c> rows of the frame.</param>
    public EdgeBands(int height, PixelBuffer top, PixelBuffer bottom)
    {
        ArgumentNullException.ThrowIfNull(top);
        ArgumentNullException.ThrowIfNull(bottom);
        if (top.Width != bottom.Width || top.Bands != bottom.Bands) throw new ArgumentException("the two bands must have the same width and bands", nameof(bottom));
        if (top.Height > height || bottom.Height > height) throw new ArgumentOutOfRangeException(nameof(height), "a band is taller than the frame");
        _top = top;
        _bottom = bottom;
        _bottomStart = height - bottom.Height;
        Height = height;
    }

    public int Width => _top.Width;
    public int Height { get; }
    public int Bands => _top.Bands;
    public int ColourBands => _top.ColourBands;

    public bool Holds(int top, int bottom) =>
        top >= 0 && bottom <= Height && (bottom <= _top.Height || top >= _bottomStart);

    public ReadOnlySpan<byte> Row(int y)
    {
        if (y >= 0 && y < _top.Height) return _top.Row(y);
        if (y >= _bottomStart && y < Height) return _bottom.Row(y - _bottomStart);
        throw new ArgumentOutOfRangeException(nameof(y), "row is not held: only the edge bands were decoded");
    }
}
