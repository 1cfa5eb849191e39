using System.Buffers;
using LabelStamp.Kernels;
using LabelStamp.Labels;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;

namespace LabelStamp.Marks.Image;

/// <summary>
/// Embeds the keyed periodic luma tile (see <see cref="ImageMarkLayout"/>, docs/watermark.md) into an
/// image in place. Pass 1 measures local activity per 8 × 8 block (the perceptual mask); pass 2 is the
/// SIMD <see cref="MarkAdd"/> kernel over every row, adding the same delta to R, G and B (a pure luma
/// change, so no colour shift) and leaving alpha untouched.
/// </summary>
public static class ImageMarkEmbedder
{
    /// <summary>Default strength: amplitude 1.0 × <see cref="BaseAmplitude"/>.</summary>
    public const double DefaultStrength = 1.0;

    /// <summary>Chip amplitude in 8-bit levels on average texture at strength 1 (measured: see docs).</summary>
    public const double BaseAmplitude = 2.85;

    /// <summary>The embedder never goes below this PSNR (dB), whatever the strength: the spec's 40 dB
    /// target plus margin for rounding.</summary>
    public const double MinimumPsnr = 40.3;

    private const int Block = 8;

    public static void Embed(PixelBuffer image, MarkKey key, MarkPayload payload, double strength = DefaultStrength,
        VectorWidth width = VectorWidth.Auto)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(key);
        if (!(strength > 0 && strength <= 8)) throw new ArgumentOutOfRangeException(nameof(strength), "strength must be in (0, 8]");

        var layout = new ImageMarkLayout(key);
        sbyte[] tile = layout.Tile(PayloadCodec.Encode(payload));

        int w = image.Width, h = image.Height, bands = image.Bands, colour = image.ColourBands, stride = image.Stride;
        int bw = (w + Block - 1) / Block, bh = (h + Block - 1) / Block;
        float[] activity = ArrayPool<float>.Shared.Rent(bw * bh);
        byte[] gains = ArrayPool<byte>.Shared.Rent(bw * bh);
        byte[] tileRows = ArrayPool<byte>.Shared.Rent(Math.Min(h, ImageMarkLayout.Period) * stride);
        byte[] gainRow = ArrayPool<byte>.Shared.Rent(stride);
        try
        {
            PerceptualMask.BlockActivity(image, Block, activity.AsSpan(0, bw * bh));
            ChooseGains(activity.AsSpan(0, bw * bh), strength, gains.AsSpan(0, bw * bh), w, h, bw);

            // The tile expanded to full interleaved rows once (≤ 128 rows), so pass 2 is a straight
            // vector add per image row; alpha positions stay 0.
            int tileRowCount = Math.Min(h, ImageMarkLayout.Period);
            Array.Clear(tileRows, 0, tileRowCount * stride);
            for (int ty = 0; ty < tileRowCount; ty++)
            {
                Span<byte> row = tileRows.AsSpan(ty * stride, stride);
                int src = ty * ImageMarkLayout.Period;
                for (int x = 0; x < w; x++)
                {
                    byte v = (byte)(sbyte)(tile[src + (x & (ImageMarkLayout.Period - 1))] * 127);
                    for (int c = 0; c < colour; c++) row[x * bands + c] = v;
                }
            }

            Span<byte> gRow = gainRow.AsSpan(0, stride);
            gRow.Clear();
            for (int y = 0; y < h; y++)
            {
                if (y % Block == 0)
                {
                    int by = y / Block;
                    for (int bx = 0; bx < bw; bx++)
                    {
                        byte g = gains[by * bw + bx];
                        int x0 = bx * Block, x1 = Math.Min(w, x0 + Block);
                        if (colour == bands) gRow.Slice(x0 * bands, (x1 - x0) * bands).Fill(g);
                        else for (int x = x0; x < x1; x++) for (int c = 0; c < colour; c++) gRow[x * bands + c] = g;
                    }
                }
                MarkAdd.Row(image.Row(y), tileRows.AsSpan((y % ImageMarkLayout.Period) * stride, stride), gRow, width);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(activity);
            ArrayPool<byte>.Shared.Return(gains);
            ArrayPool<byte>.Shared.Return(tileRows);
            ArrayPool<byte>.Shared.Return(gainRow);
        }
    }

    /// <summary>
    /// Gain per block = round(2 · amplitude), where amplitude = strength · BaseAmplitude · mask and the
    /// kernel adds ±round(127·gain/256) ≈ ±amplitude levels. The mask follows local activity (flat
    /// sky gets 0.35×, texture up to 2.2×); then the whole map is scaled down if the resulting mean
    /// squared delta would break <see cref="MinimumPsnr"/> (computed exactly on the integer deltas).
    /// </summary>
    private static void ChooseGains(ReadOnlySpan<float> activity, double strength, Span<byte> gains, int w, int h, int bw)
    {
        double maxMse = 255.0 * 255.0 / Math.Pow(10, MinimumPsnr / 10);
        double scale = strength * BaseAmplitude;
        for (int attempt = 0; attempt < 12; attempt++)
        {
            double sq = 0;
            for (int i = 0; i < activity.Length; i++)
            {
                double a = scale * PerceptualMask.Gain(activity[i]);
                int g = (int)Math.Round(2 * a);
                gains[i] = (byte)Math.Clamp(g, 0, 255);
                int d = (127 * gains[i] + 128) >> 8;
                int bx = i % bw, by = i / bw;
                int pix = (Math.Min(w, bx * Block + Block) - bx * Block) * (Math.Min(h, by * Block + Block) - by * Block);
                sq += (double)d * d * pix;
            }
            double mse = sq / ((double)w * h);
            if (mse <= maxMse) return;
            scale *= Math.Sqrt(maxMse / mse) * 0.97;
        }
    }
}
