namespace LabelStamp.Media.Images;

/// <summary>
/// A decoded 8-bit image in memory, interleaved (band-packed) rows without padding: 1 band = grey,
/// 2 = grey + alpha, 3 = RGB, 4 = RGBA. This is the one shape every pixel kernel sees; the NetVips
/// adapter converts to and from it, so the kernels and codecs never touch libvips.
/// </summary>
public sealed class PixelBuffer : IPixelRows
{
    public PixelBuffer(byte[] data, int width, int height, int bands)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "image must have positive size");
        if (bands is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(bands), "1 to 4 bands");
        if (data.Length < (long)width * height * bands) throw new ArgumentException("pixel data shorter than width × height × bands", nameof(data));
        Data = data;
        Width = width;
        Height = height;
        Bands = bands;
    }

    public byte[] Data { get; }
    public int Width { get; }
    public int Height { get; }
    public int Bands { get; }

    /// <summary>Bytes per row.</summary>
    public int Stride => Width * Bands;

    public bool HasAlpha => Bands is 2 or 4;

    /// <summary>Colour bands (1 or 3), not counting alpha.</summary>
    public int ColourBands => HasAlpha ? Bands - 1 : Bands;

    public Span<byte> Row(int y) => Data.AsSpan(y * Stride, Stride);

    public bool Holds(int top, int bottom) => top >= 0 && bottom <= Height;

    ReadOnlySpan<byte> IPixelRows.Row(int y) => Row(y);
}
