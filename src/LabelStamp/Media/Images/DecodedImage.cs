using NetVips;

namespace LabelStamp.Media.Images;

/// <summary>Pixels in display orientation plus the decoded source (kept for its metadata and colour tags),
/// and what the source was loaded from: the pinned input bytes (<see cref="PinnedInput"/>), released
/// only after the source.</summary>
public sealed class DecodedImage(Image source, PixelBuffer pixels, int orientation, IDisposable input) : IDisposable
{
    public Image Source { get; } = source;
    public PixelBuffer Pixels { get; } = pixels;
    public int Orientation { get; } = orientation;

    public void Dispose()
    {
        Source.Dispose();
        input.Dispose();
    }
}
