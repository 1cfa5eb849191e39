using LabelStamp.Labels;

namespace LabelStamp.Media.Images;

/// <summary>The invisible image mark (L3) as the image path sees it, on display-oriented pixels.</summary>
public interface IImageWatermarker
{
    void Embed(PixelBuffer pixels, MarkKey key, MarkId markId);

    /// <summary>The mark under this key, or null (never a guess: a reading carries its false-positive bound).</summary>
    Marks.MarkReading? Detect(PixelBuffer pixels, MarkKey key);
}
