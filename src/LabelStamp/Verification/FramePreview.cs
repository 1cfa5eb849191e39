using LabelStamp.Media.Images;
using NetVips;

namespace LabelStamp.Verification;

/// <summary>
/// A small JPEG of the video frame a report's visible-label box refers to, for a page to draw the box on
/// (POST /verify?preview=1). Made in memory from the decoded luma plane the inspector already holds, so it
/// is grey; nothing is written anywhere. <see cref="SourceWidth"/>/<see cref="SourceHeight"/> are the frame's
/// own size, the one the box coordinates are in.
/// </summary>
public sealed record FramePreview(string MediaType, byte[] Data, int Width, int Height, int SourceWidth, int SourceHeight, double Seconds)
{
    /// <summary>Longest side of the preview: enough to see the label, small enough to travel inside JSON.</summary>
    public const int MaxSide = 960;

    public static FramePreview FromLuma(PixelBuffer frame, double seconds)
    {
        VipsRuntime.EnsureInitialised();
        using var raw = Image.NewFromMemory(frame.Data, frame.Width, frame.Height, frame.Bands, Enums.BandFormat.Uchar);
        double scale = Math.Min(1.0, (double)MaxSide / Math.Max(frame.Width, frame.Height));
        using var small = scale < 1 ? raw.Resize(scale) : raw.Copy();
        byte[] jpeg = small.JpegsaveBuffer(q: 80);
        return new FramePreview("image/jpeg", jpeg, small.Width, small.Height, frame.Width, frame.Height, seconds);
    }
}
