using System.Buffers;
using LabelStamp.Kernels;
using LabelStamp.Media.Images;

namespace LabelStamp.Marks.Image;

/// <summary>
/// Local activity as a just-noticeable-difference proxy: the mean absolute horizontal plus vertical
/// gradient of the colour samples over a block. Noise is hard to see where the host already varies
/// (texture masking, as in the JND models after Chou &amp; Li) and easy to see on flat sky, so the chip
/// amplitude follows it. Transparent pixels are marked like any other (measured: gating them off lost
/// more than it gained, docs/watermark.md).
/// </summary>
internal static class PerceptualMask
{
    /// <summary>Activity is quantised to 1/8 level: bins 0-255 (the gain saturates at 24 levels).</summary>
    public const int BinsPerLevel = 8;

    /// <summary>
    /// One bin per block: rows 1 and 5 of each 8-row block are sampled (the mask is a smooth quantity;
    /// two rows of eight keep pass 1 at a quarter of the image) through the SIMD
    /// <see cref="GradientActivity"/> kernel, both row pairs of a row of blocks in one call
    /// (<see cref="GradientActivity.PairedGroups"/>) and summed per block by <see cref="GradientActivity.SumBlocks"/>. The gradient is the mean over colour samples (alpha
    /// is left out), in 8-bit levels.
    /// </summary>
    public static void BlockBins(PixelBuffer image, int block, Span<byte> bins, VectorWidth width)
    {
        int w = image.Width, h = image.Height, bands = image.Bands, colour = image.ColourBands;
        int bw = (w + block - 1) / block;
        // Groups of 8 samples whose right-hand neighbour exists: (w − 1) pixels of samples.
        int groups = (w - 1) * bands / GradientActivity.Group;
        int groupsPerBlock = bands * block / GradientActivity.Group;
        if (h < 2 || groups == 0)
        {
            // No row pair (or no right-hand neighbour) to sample: no activity counted, bin 0.
            bins[..(bw * ((h + block - 1) / block))].Clear();
            return;
        }
        ulong mask = GradientActivity.ColourMask(bands);
        // A whole block's counted samples: its groups' colour samples over the two sampled row pairs. The bin is
        // ⌊8 · sum / samples⌋; for the whole blocks (all but the last one or two of a row) the divisor is this one
        // constant, so the quotient is taken by multiplying with its exact 64-bit reciprocal (Lemire, Kaser and
        // Kurz, "Faster remainder by direct computation", 2019: exact for every 32-bit dividend and divisor) instead
        // of a 64-bit division per block.
        const int Pairs = 2;
        uint wholeSamples = (uint)(groupsPerBlock * GradientActivity.Group * colour / bands * Pairs);
        ulong reciprocal = ulong.MaxValue / wholeSamples + 1;
        int wholeBlocks = Math.Min(bw, groups / groupsPerBlock);
        ulong[] sums = ArrayPool<ulong>.Shared.Rent(groups);
        uint[] acc = ArrayPool<uint>.Shared.Rent(bw);
        try
        {
            for (int by = 0; by * block < h; by++)
            {
                int y0 = by * block, yA = Math.Min(y0 + 1, h - 2), yB = Math.Min(y0 + 5, h - 2);
                GradientActivity.PairedGroups(image.Row(yA), image.Row(yA + 1), image.Row(yB), image.Row(yB + 1), bands,
                    sums.AsSpan(0, groups), mask, width);
                GradientActivity.SumBlocks(sums.AsSpan(0, groups), groupsPerBlock, acc.AsSpan(0, bw));
                Span<byte> rowBins = bins.Slice(by * bw, bw);
                for (int bx = 0; bx < wholeBlocks; bx++)
                    rowBins[bx] = (byte)Math.Min(255UL, Math.BigMul(reciprocal, (ulong)acc[bx] * BinsPerLevel, out _));
                for (int bx = wholeBlocks; bx < bw; bx++)
                {
                    int g0 = bx * groupsPerBlock, g1 = Math.Min(groups, g0 + groupsPerBlock);
                    long samples = (long)Math.Max(0, g1 - g0) * GradientActivity.Group * colour / bands * Pairs;
                    rowBins[bx] = (byte)(samples == 0 ? 0 : (int)Math.Min(255, acc[bx] * (long)BinsPerLevel / samples));
                }
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(sums);
            ArrayPool<uint>.Shared.Return(acc);
        }
    }

    /// <summary>The mask gain on flat areas for images of two periods a side or more.</summary>
    public const double FlatGain = 0.35;

    /// <summary>The mask gain on flat areas for images under two mark periods a side (short side under 512 px).
    /// Such an image holds one or two tiles, so every coded bit rests on its 9-10 chips seen once or twice, and a
    /// flat area's ±1 chip is what JPEG q75 rounds away. At ±2 (0.7 × 2.85 levels) the flat areas carry the mark
    /// through q75, and the PSNR floor and the SSIM budget still bind where they did: the budget lowers the
    /// flat blocks where they cost most. Measured on the 70 corpus images of 256-384 px (bench/WATERMARK.md,
    /// tenth step): JPEG q75 60 → 63 read, clean unchanged, no JPEG q75 cell lost, JPEG q50 and 0.7× + JPEG q75 up, WebP
    /// q50 and q75 one cell down each (net of swings both ways: a single tile is marginal there), worst SSIM as
    /// displayed 0.9817 → 0.9843 (the budget spends its loss differently); 1.0 read the same as 0.7.</summary>
    public const double SmallImageFlatGain = 0.7;

    /// <summary>The side under which an image counts as small for <see cref="FlatGainFor"/>: two mark periods.</summary>
    public const int SmallImageSide = 2 * ImageMarkLayout.Period;

    /// <summary>The flat-area gain for a w × h image: <see cref="SmallImageFlatGain"/> under
    /// <see cref="SmallImageSide"/> a side, <see cref="FlatGain"/> otherwise.</summary>
    public static double FlatGainFor(int width, int height) =>
        Math.Min(width, height) < SmallImageSide ? SmallImageFlatGain : FlatGain;

    /// <summary>The gain on dense texture (activity ≥ 24 levels).</summary>
    public const double TextureGain = 3.5;

    /// <summary>Mask gain from activity (8-bit levels): <paramref name="flat"/> (0.35 for images) on flat
    /// areas, rising linearly to 3.5 at an activity of 24 levels (dense texture). Chosen so the default
    /// strength meets PSNR ≥ 40 dB and SSIM ≥ 0.98 on the sample photos while texture carries most of
    /// the energy. Video may pass another floor (the earlier video mark did, for measurement).</summary>
    public static double Gain(double activity, double flat = FlatGain) =>
        Math.Clamp(flat + Math.Max(0, activity - 2) * ((TextureGain - flat) / 22.0), flat, TextureGain);

    /// <summary>The gain of a bin (its centre).</summary>
    public static double GainOfBin(int bin, double flat = FlatGain) => Gain((bin + 0.5) / BinsPerLevel, flat);
}
