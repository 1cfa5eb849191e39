using NetVips;

namespace LabelStamp.Media.Images;

/// <summary>Pixels in display orientation plus the decoded source (kept for its metadata and colour tags),
/// and what the source was loaded from: the pinned input bytes (<see cref="PinnedInput"/>), released
/// only after the source.</summary>
public sealed class DecodedImage(Image source, PixelBuffer pixels, int orientation, IDisposable input) : IDisposable
{
    public Image Source { get; } = source;
    private PixelBuffer? _pixels = pixels;

    public PixelBuffer Pixels => _pixels ?? throw new ObjectDisposedException(nameof(DecodedImage), "the frame was handed to the encoder");

    /// <summary>Drops this image's reference to the frame once an encoder has overwritten it with its own
    /// representation (<see cref="WebpFrameEncoder"/> converts it to YUV in place): a later read fails
    /// instead of seeing YUV samples as RGB.</summary>
    internal void ReleasePixels() => _pixels = null;
    public int Orientation { get; } = orientation;

    public void Dispose()
    {
        Source.Dispose();
        input.Dispose();
    }
}
