using LabelStamp.Labels;
using LabelStamp.Marks;

namespace LabelStamp.Media.Images;

/// <summary>The invisible image mark (L3) as the image path sees it, on display-oriented pixels.</summary>
public interface IImageWatermarker
{
    /// <summary>Embeds the mark in place, and says whether the result carries a readable mark (an image
    /// too small for the detector is left untouched).</summary>
    /// <param name="selfCheck">False when the caller will check the encoded file instead (<see cref="ReadsBack"/>
    /// on a lossy output decoded again): the result is then applied whenever anything was embedded.</param>
    MarkEmbedding Embed(PixelBuffer pixels, MarkKey key, MarkId markId, bool selfCheck = true);

    /// <summary>Whether <paramref name="pixels"/> (an encoded file decoded again) still carry this mark ID at the
    /// geometry it was embedded at: the stamp's check after a lossy encode.</summary>
    bool ReadsBack(PixelBuffer pixels, MarkKey key, MarkId markId);

    /// <summary>Both tiers under this key: the mark ID when decoded, and whether the key's mark is present
    /// at all (never a guess: each tier carries its false-positive bound).</summary>
    MarkVerdict Read(PixelBuffer pixels, MarkKey key);
}
