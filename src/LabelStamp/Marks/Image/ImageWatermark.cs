using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;

namespace LabelStamp.Marks.Image;

/// <summary>The image mark as the image path uses it: the payload for a mark ID under a key, embedded
/// at the default strength; detection reported in the form every media kind shares.</summary>
public sealed class ImageWatermark : IImageWatermarker
{
    /// <summary>The last key's layout and sync spectra (immutable; a worker stamps every message under one key
    /// object): about 1 ms of every self-check and read otherwise, a fifth of a small image's self-check.</summary>
    private ImageMarkKeyMaterial? _keyMaterial;

    private ImageMarkKeyMaterial KeyMaterial(MarkKey key) => _keyMaterial = ImageMarkKeyMaterial.Reuse(_keyMaterial, key);

    /// <summary>
    /// Embeds, then checks that the mark reads back (<see cref="ImageMarkDetector.ReadsBack"/>: the untouched
    /// geometry, which the detector always tries). An image below the detector's minimum side is left as
    /// it was; one whose content drowns the mark keeps the (invisible) attempt — it may still show as
    /// present — but is reported as not carrying a readable mark, so nothing claims it.
    /// </summary>
    public MarkEmbedding Embed(PixelBuffer pixels, MarkKey key, MarkId markId, bool selfCheck = true)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (Math.Min(pixels.Width, pixels.Height) < ImageMarkDetector.MinimumSide)
            return MarkEmbedding.NotReadable(string.Create(CultureInfo.InvariantCulture,
                $"{pixels.Width}x{pixels.Height} is below the {ImageMarkDetector.MinimumSide} px minimum side the watermark can be read at"));
        var payload = MarkPayload.For(markId, key);
        var keyMaterial = KeyMaterial(key);
        ImageMarkEmbedder.Embed(pixels, keyMaterial.Layout, payload);
        if (!selfCheck) return MarkEmbedding.Applied;
        var margin = ImageMarkDetector.SelfCheck(pixels, keyMaterial, payload);
        return (margin.Reads
            ? MarkEmbedding.Applied
            : MarkEmbedding.NotReadable("the mark does not read back from this image's content (self-check after embedding)")) with { Margin = margin };
    }

    public bool ReadsBack(PixelBuffer pixels, MarkKey key, MarkId markId)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(key);
        return ImageMarkDetector.ReadsBack(pixels, KeyMaterial(key), MarkPayload.For(markId, key));
    }

    public MarkVerdict Read(PixelBuffer pixels, MarkKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var v = ImageMarkDetector.Read(pixels, KeyMaterial(key));
        MarkReading? reading = null;
        if (v.Detection is { } d && d.KeyNibble == MarkPayload.KeyNibbleOf(key))
        {
            string geometry = string.Create(CultureInfo.InvariantCulture,
                $"scale {d.Scale:0.###}, rotation {d.RotationDegrees:0.##}°{(d.Mirrored ? ", mirrored" : "")}, tile offset ({d.OffsetX},{d.OffsetY}), sync z {d.SyncZScore:0.#}, {d.CandidatesTried} candidates");
            reading = new MarkReading(d.MarkId, key.KeyId, d.BitErrorsCorrected, d.FalsePositiveProbability, geometry);
        }
        string evidence = string.Create(CultureInfo.InvariantCulture,
            $"sync statistic {v.PresenceStatistic:0.00} over {v.OrientedFoldsBound} oriented folds x 65536 offsets + {ImageMarkDetector.ChipFoldOffsets} chip offsets");
        return new MarkVerdict(reading, key.KeyId, v.PresenceStatistic, v.PresenceFalsePositiveProbability, evidence);
    }
}
