using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    private const int BlocksPerGroup = 2 * BlocksPerMacroblock;

    /// <summary>MarkAdd's gain for ±2 levels (round(127 · 4 / 256) = 2).</summary>
    private const byte Gain2 = 4;

    /// <summary>The gains MarkAdd turns into ±1 levels (<see cref="SsimBudget.AmplitudeOf"/> is 1 for exactly these two:
    /// <c>FlatAreaConcentrationTests</c>), so the blocks planned at ±1 are counted as two byte values.</summary>
    internal const byte LowestGainAtOne = 2, HighestGainAtOne = 3;

    /// <summary>Rewrites <paramref name="blockGains"/> (one MarkAdd gain per 8 × 8 block, row-major,
    /// <paramref name="bw"/> per row) in place.</summary>
    public static void Apply(PixelBuffer image, Span<byte> blockGains, int bw)
    {
        int n = blockGains.Length, bh = n / bw;
        // Only blocks planned at ±1 can be eligible: when too few are, no block's colour needs sampling
        // (most images: the four-sample test of every block was 0.2-0.3 ms of a 1-2 MP embed).
        int atOne = blockGains.Count(LowestGainAtOne) + blockGains.Count(HighestGainAtOne);
        if (atOne < MinimumShare * n) return;
        // Each block's test once, kept for the rewrite (it ran twice: on a mostly flat 2560 × 1600 photo this part was
        // 1.7 ms of a 6 ms embed, 1.3 after); the count stops as soon as the rest of the blocks could no longer reach
        // the share. A row of blocks reads its two sampled image rows once (a call and two row lookups per block were
        // 0.5-0.9 ms of a 1080p embed whose blocks are nearly all at ±1).
        int eligible = 0;
        double needed = MinimumShare * n;
        byte[] flat = ArrayPool<byte>.Shared.Rent(n);
        try
        {
            for (int by = 0, b = 0; by < bh; by++, b += bw)
            {
                if (eligible + (n - b) < needed) return;
                eligible += FlatColourRow(image, blockGains.Slice(b, bw), by, flat.AsSpan(b, bw));
            }
            if (eligible < needed) return;
            // Each group's chosen quarter hashed once for its row of groups, not once per block.
            int groupsPerRow = (bw + BlocksPerGroup - 1) / BlocksPerGroup;
            Span<int> quarterOf = groupsPerRow <= 1024 ? stackalloc int[groupsPerRow] : new int[groupsPerRow];
            for (int by = 0, b = 0; by < bh; by++)
            {
                if (by % BlocksPerGroup == 0)
                    for (int gx = 0; gx < groupsPerRow; gx++) quarterOf[gx] = ChosenQuarter(gx, by / BlocksPerGroup);
                int rowQuarter = (by / BlocksPerMacroblock & 1) * 2;
                for (int bx = 0; bx < bw; bx++, b++)
                    if (flat[b] != 0)
                        blockGains[b] = quarterOf[bx / BlocksPerGroup] == rowQuarter + (bx / BlocksPerMacroblock & 1) ? Gain2 : (byte)0;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(flat);
        }
    }

    /// <summary>Marks in <paramref name="flat"/> the blocks of row <paramref name="by"/> planned at ±1 whose colour is not
    /// near white, and counts them. Four samples, at the centres of a block's quadrants, stand for its level: a block
    /// planned at ±1 is flat (or capped by the SSIM budget's dither).</summary>
    private static int FlatColourRow(PixelBuffer image, ReadOnlySpan<byte> gains, int by, Span<byte> flat)
    {
        int colour = Math.Max(1, Math.Min(3, image.ColourBands)), bands = image.Bands, lastX = image.Width - 1;
        int limit = 4 * colour * WhiteLevel, count = 0;
        ReadOnlySpan<byte> r0 = image.Row(Math.Min(image.Height - 1, by * Block + 2));
        ReadOnlySpan<byte> r1 = image.Row(Math.Min(image.Height - 1, by * Block + 6));
        // Blocks whose samples lie inside the row are read without clamping, three colour samples unrolled (the common
        // case); the last block of a row, or another colour count, takes the general form.
        int inside = colour == 3 && lastX >= 6 ? Math.Min(gains.Length, (lastX - 6) / Block + 1) : 0;
        ref byte a = ref MemoryMarshal.GetReference(r0), c0 = ref MemoryMarshal.GetReference(r1);
        int bx = 0;
        for (; bx < inside; bx++)
        {
            byte g = gains[bx];
            if (g is not (LowestGainAtOne or HighestGainAtOne)) { flat[bx] = 0; continue; }
            nint x0 = (bx * Block + 2) * bands, x1 = x0 + 4 * bands;
            int sum = Unsafe.Add(ref a, x0) + Unsafe.Add(ref a, x0 + 1) + Unsafe.Add(ref a, x0 + 2)
                + Unsafe.Add(ref a, x1) + Unsafe.Add(ref a, x1 + 1) + Unsafe.Add(ref a, x1 + 2)
                + Unsafe.Add(ref c0, x0) + Unsafe.Add(ref c0, x0 + 1) + Unsafe.Add(ref c0, x0 + 2)
                + Unsafe.Add(ref c0, x1) + Unsafe.Add(ref c0, x1 + 1) + Unsafe.Add(ref c0, x1 + 2);
            bool f = sum < limit;
            flat[bx] = f ? (byte)1 : (byte)0;
            count += f ? 1 : 0;
        }
        for (; bx < gains.Length; bx++)
        {
            byte g = gains[bx];
            if (g is not (LowestGainAtOne or HighestGainAtOne)) { flat[bx] = 0; continue; }
            int x0 = Math.Min(lastX, bx * Block + 2) * bands, x1 = Math.Min(lastX, bx * Block + 6) * bands;
            int sum = 0;
            for (int c = 0; c < colour; c++) sum += r0[x0 + c] + r0[x1 + c] + r1[x0 + c] + r1[x1 + c];
            bool f = sum < limit;
            flat[bx] = f ? (byte)1 : (byte)0;
            count += f ? 1 : 0;
        }
        return count;
    }

    /// <summary>Which macroblock of group (<paramref name="gx"/>, <paramref name="gy"/>) (a 2 × 2 group of macroblocks, 32 ×
    /// 32 px) carries the group's chips: quarter (my &amp; 1) · 2 + (mx &amp; 1) of its macroblocks (mx, my), picked by a hash of
    /// the group's position so the choice does not repeat with the 256 px tile (every chip of the tile gets its share over
    /// a large image).</summary>
    internal static int ChosenQuarter(int gx, int gy)
    {
        ulong z = (ulong)gx * 0x9E3779B97F4A7C15UL ^ (ulong)gy * 0xC2B2AE3D27D4EB4FUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 3);
    }
}
