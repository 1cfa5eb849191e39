using NetVips;

namespace LabelStamp.Media.Images;

/// <summary>Pixels in display orientation plus the decoded source (kept for its metadata and colour tags).</summary>
public sealed class DecodedImage(Image source, PixelBuffer pixels, int orientation) : IDisposable
{
    public Image Source { get; } = source;
    public PixelBuffer Pixels { get; } = pixels;
    public int Orientation { get; } = orientation;

    public void Dispose() => Source.Dispose();
}
