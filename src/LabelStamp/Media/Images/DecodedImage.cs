using NetVips;

namespace LabelStamp.Media.Images;

/// <summary>Pixels in display orientation plus the decoded source (kept for its metadata and colour tags).</summary>
public sealed class DecodedImage : IDisposable
{
    /// <summary>The bytes the source was loaded from, pinned until the source is gone (<see cref="PinnedInput"/>).</summary>
    private readonly PinnedInput _input;

    internal DecodedImage(Image source, PixelBuffer pixels, int orientation, PinnedInput input)
    {
        Source = source;
        Pixels = pixels;
        Orientation = orientation;
        _input = input;
    }

    public Image Source { get; }
    public PixelBuffer Pixels { get; }
    public int Orientation { get; }

    public void Dispose()
    {
        Source.Dispose();
        _input.Dispose();
    }
}
