using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;

namespace LabelStamp.Marks.Image;

/// <summary>The image mark as the image path uses it: the payload for a mark ID under a key, embedded
/// at the default strength; detection reported in the form every media kind shares.</summary>
public sealed class ImageWatermark : IImageWatermarker
{
    public void Embed(PixelBuffer pixels, MarkKey key, MarkId markId) =>
        ImageMarkEmbedder.Embed(pixels, key, MarkPayload.For(markId, key));

    public MarkReading? Detect(PixelBuffer pixels, MarkKey key)
    {
        var d = ImageMarkDetector.Detect(pixels, key);
        if (d is null || d.KeyNibble != MarkPayload.KeyNibbleOf(key)) return null;
        string geometry = string.Create(CultureInfo.InvariantCulture,
            $"scale {d.Scale:0.###}, rotation {d.RotationDegrees:0.##}°, tile offset ({d.OffsetX},{d.OffsetY}), sync z {d.SyncZScore:0.#}, {d.CandidatesTried} candidates");
        return new MarkReading(d.MarkId, key.KeyId, d.BitErrorsCorrected, d.FalsePositiveProbability, geometry);
    }
}
