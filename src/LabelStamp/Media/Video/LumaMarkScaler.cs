using System.Buffers;
using LabelStamp.Kernels;
using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;

namespace LabelStamp.Media.Video;

/// <summary>
/// Puts the image mark on a luma plane at a coarser scale: the plane is box-averaged by
/// <see cref="Factor"/>, the unchanged <see cref="ImageMarkEmbedder"/> marks that small copy, and its
/// change is spread back over each factor × factor block. The mark's chips become factor times
/// larger: video codecs quantise fine detail in moving frames away (measured: the full-resolution mark
/// on the 540p sample did not survive a second H.264 pass at CRF 23), coarser chips survive. The detector
/// needs no change: it already estimates the tile's scale from its autocorrelation (up to 2× directly,
/// larger via its 2 × 2 level). The mean squared change equals the small copy's, so the embedder's
/// PSNR floor holds for the frame too.
/// </summary>
public sealed class LumaMarkScaler(MarkKey key, MarkPayload payload, int factor, double strength = ImageMarkEmbedder.DefaultStrength,
    double flatGain = PerceptualMask.FlatGain)
{
    public int Factor { get; } = factor is >= 1 and <= 4 ? factor : throw new ArgumentOutOfRangeException(nameof(factor), "1 to 4");

    /// <summary>The scaled plane keeps at least the image detector's minimum side, so the detector can
    /// still fold it (it tries the untouched geometry at its 2 × 2 level when the plane is too short
    /// for a lattice search). Measured (bench/VIDEO.md, video-540): the 960×540 sample at factor 1 lost
    /// the mark after H.264 CRF 30 under 4 of 4 keys; at factor 2 (a 480 × 270 plane) all 4 kept it.
    /// 1080p at factor 2 kept it through 720p + 5 s excerpt + CRF 30, where factor 1 did not.</summary>
    public const int MinScaledSide = ImageMarkDetector.MinimumSide;

    /// <summary>The coarsest factor up to <paramref name="preferred"/> that keeps enough tiles.</summary>
    public static int FactorFor(int width, int height, int preferred)
    {
        int f = preferred;
        while (f > 1 && Math.Min(width, height) / f < MinScaledSide) f--;
        return f;
    }

    /// <summary>Marks the first <paramref name="width"/> × <paramref name="height"/> bytes of
    /// <paramref name="plane"/> (a luma plane without padding) in place.</summary>
    public void Embed(byte[] plane, int width, int height)
    {
        if (Factor == 1)
        {
            ImageMarkEmbedder.Embed(new PixelBuffer(plane, width, height, 1), key, payload, strength, flatGain: flatGain);
            return;
        }
        int f = Factor, sw = width / f, sh = height / f, n = sw * sh;
        byte[] small = ArrayPool<byte>.Shared.Rent(n);
        byte[] before = ArrayPool<byte>.Shared.Rent(n);
        try
        {
            if (f == 2)
            {
                // The default factor: SIMD rows both ways (the scalar loops below cost ≈ 10 ms per 1080p frame).
                for (int y = 0; y < sh; y++)
                    BoxHalve.Row(plane.AsSpan(2 * y * width, width), plane.AsSpan((2 * y + 1) * width, width), small.AsSpan(y * sw, sw));
                Buffer.BlockCopy(small, 0, before, 0, n);
                ImageMarkEmbedder.Embed(new PixelBuffer(small, sw, sh, 1), key, payload, strength, flatGain: flatGain);
                for (int y = 0; y < sh; y++)
                    DeltaSpread.Rows(small.AsSpan(y * sw, sw), before.AsSpan(y * sw, sw),
                        plane.AsSpan(2 * y * width, width), plane.AsSpan((2 * y + 1) * width, width));
                return;
            }
            int area = f * f, half = area / 2;
            for (int y = 0; y < sh; y++)
                for (int x = 0; x < sw; x++)
                {
                    int s = 0;
                    for (int dy = 0; dy < f; dy++)
                    {
                        int o = (y * f + dy) * width + x * f;
                        for (int dx = 0; dx < f; dx++) s += plane[o + dx];
                    }
                    small[y * sw + x] = (byte)((s + half) / area);
                }
            Buffer.BlockCopy(small, 0, before, 0, n);
            ImageMarkEmbedder.Embed(new PixelBuffer(small, sw, sh, 1), key, payload, strength, flatGain: flatGain);
            for (int y = 0; y < sh; y++)
                for (int x = 0; x < sw; x++)
                {
                    int d = small[y * sw + x] - before[y * sw + x];
                    if (d == 0) continue;
                    for (int dy = 0; dy < f; dy++)
                    {
                        int o = (y * f + dy) * width + x * f;
                        for (int dx = 0; dx < f; dx++) plane[o + dx] = (byte)Math.Clamp(plane[o + dx] + d, 0, 255);
                    }
                }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(small);
            ArrayPool<byte>.Shared.Return(before);
        }
    }
}
