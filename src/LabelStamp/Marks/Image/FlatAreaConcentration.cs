using System.Buffers;
using LabelStamp.Media.Images;

namespace LabelStamp.Marks.Image;

/// <summary>
/// Moves the ±1-level chips of flat, non-white blocks into one 16 × 16 macroblock of every 2 × 2 group at
/// ±2, and leaves the other three at 0: the same squared error on average, a lower predicted SSIM loss
/// (the contrast-structure term saturates in a², so L(2)/4 &lt; L(1)), and chips that survive lossy WebP.
/// <para>
/// Why: VP8 quantises with a dead zone. At q50 a ±1 chip — one 4 × 4 block's DC, and in a flat macroblock
/// one coefficient of the second-order transform of its sixteen DCs — rounds to zero, so every flat area
/// of a flat illustration lost its mark while the textured areas kept theirs under the codec's ringing.
/// At ±2 on whole macroblocks (VP8's prediction and mode unit) enough of them survive to decode: measured
/// on the 768 px and 512 px illustrations that failed WebP q50 (bench/WATERMARK.md, eighth step), raw bit
/// errors at the true geometry 27 % → 8 % and 27 % → 18 % in chip means (31 % → 16 % and → 23 % in pixels).
/// Single 8 × 8 blocks at ±2 did not help (30-33 %), nor did ±3 on one macroblock of nine (20-25 %, and
/// weaker clean reads).
/// </para>
/// <para>
/// Only images that are almost entirely flat colour are gathered (<see cref="MinimumShare"/>).
/// Near-white blocks are left alone: on text pages (the white paper between glyphs) the concentration did
/// not make WebP q50 read and cost the clean and JPEG q75 readings a third of their sync statistic — the
/// detector weighs each block by its own residual level, so the evidence of a flat area grows with the
/// number of marked blocks, not with their amplitude. Only blocks planned at exactly ±1 move, after both
/// budgets, so the PSNR floor and the SSIM budget keep holding (checked on every corpus image).
/// </para>
/// </summary>
internal static class FlatAreaConcentration
{
    /// <summary>Blocks whose sampled colour averages at or above this level keep their ±1.</summary>
    public const int WhiteLevel = 240;

    /// <summary>The gathering runs only when at least this share of the image's blocks is flat colour at ±1.
    /// Gathering keeps the squared error but halves the flat areas' linear evidence (half the blocks' mean
    /// amplitude, a quarter of the blocks), so where texture carries part of the mark it only trades
    /// other readings for WebP: over the every-4th corpus subset, applied to every image it read 4 more
    /// WebP q50 copies and 1 more downscaled (0.7× + JPEG q75) copy, and lost 6 downscaled, 2 JPEG q75 and 1
    /// rotated copies of photos, renders and dark images with 18-82 % flat blocks; the two illustrations
    /// from 512 px it fixes have 91 and 96 %. Chosen on that subset (bench/WATERMARK.md, eighth step), so a
    /// measured threshold, not a derived one.</summary>
    public const double MinimumShare = 0.90;

    private const int Block = 8;
    private const int BlocksPerMacroblock = 2;

    /// <summary>MarkAdd's gain for ±2 levels (round(127 · 4 / 256) = 2).</summary>
    private const byte Gain2 = 4;

    /// <summary>Rewrites <paramref name="blockGains"/> (one MarkAdd gain per 8 × 8 block, row-major,
    /// <paramref name="bw"/> per row) in place.</summary>
    public static void Apply(PixelBuffer image, Span<byte> blockGains, int bw)
    {
        int bh = blockGains.Length / bw;
        // Only blocks planned at ±1 can be eligible: when too few are, no block's colour needs sampling
        // (most images: the four-sample test of every block was 0.2-0.3 ms of a 1-2 MP embed).
        int atOne = 0;
        foreach (byte g in blockGains) if (SsimBudget.AmplitudeOf(g) == 1) atOne++;
        if (atOne < MinimumShare * blockGains.Length) return;
        // Each block's test once, kept for the rewrite (it ran twice: on a mostly flat 2560 × 1600 photo this part was
        // 1.7 ms of a 6 ms embed, 1.3 after); the count stops as soon as the rest of the blocks could no longer reach
        // the share.
        int n = blockGains.Length, eligible = 0;
        double needed = MinimumShare * n;
        byte[] flat = ArrayPool<byte>.Shared.Rent(n);
        try
        {
            for (int by = 0, b = 0; by < bh; by++)
            {
                if (eligible + (n - b) < needed) return;
                for (int bx = 0; bx < bw; bx++, b++)
                {
                    bool f = IsFlatColour(image, blockGains[b], bx, by);
                    flat[b] = f ? (byte)1 : (byte)0;
                    if (f) eligible++;
                }
            }
            if (eligible < needed) return;
            for (int by = 0, b = 0; by < bh; by++)
                for (int bx = 0; bx < bw; bx++, b++)
                    if (flat[b] != 0)
                        blockGains[b] = IsChosen(bx / BlocksPerMacroblock, by / BlocksPerMacroblock) ? Gain2 : (byte)0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(flat);
        }
    }

    /// <summary>A block planned at ±1 whose colour is not near white. Four samples, at the centres of its
    /// quadrants, stand for its level: a block planned at ±1 is flat (or capped by the SSIM budget's dither).</summary>
    private static bool IsFlatColour(PixelBuffer image, byte gain, int bx, int by)
    {
        if (SsimBudget.AmplitudeOf(gain) != 1) return false;
        int colour = Math.Max(1, Math.Min(3, image.ColourBands)), bands = image.Bands;
        int y0 = Math.Min(image.Height - 1, by * Block + 2), y1 = Math.Min(image.Height - 1, by * Block + 6);
        int x0 = Math.Min(image.Width - 1, bx * Block + 2) * bands, x1 = Math.Min(image.Width - 1, bx * Block + 6) * bands;
        ReadOnlySpan<byte> r0 = image.Row(y0), r1 = image.Row(y1);
        int sum = 0;
        for (int c = 0; c < colour; c++) sum += r0[x0 + c] + r0[x1 + c] + r1[x0 + c] + r1[x1 + c];
        return sum < 4 * colour * WhiteLevel;
    }

    /// <summary>One macroblock of each 2 × 2 group, picked by a hash of the group's position so the choice
    /// does not repeat with the 256 px tile (every chip of the tile gets its share over a large image).</summary>
    private static bool IsChosen(int mx, int my)
    {
        ulong z = (ulong)(mx / 2) * 0x9E3779B97F4A7C15UL ^ (ulong)(my / 2) * 0xC2B2AE3D27D4EB4FUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 3) == (my & 1) * 2 + (mx & 1);
    }
}
