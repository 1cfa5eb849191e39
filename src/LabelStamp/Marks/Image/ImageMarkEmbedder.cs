using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using LabelStamp.Kernels;
using LabelStamp.Labels;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;

namespace LabelStamp.Marks.Image;

/// <summary>
/// Embeds the keyed periodic luma tile (see <see cref="ImageMarkLayout"/>, docs/watermark.md) into an
/// image in place. Pass 1 measures local activity per 8 × 8 block (the perceptual mask, SIMD
/// <see cref="GradientActivity"/> on two rows of eight) and each block's SSIM statistics (SIMD
/// <see cref="ColumnMoments"/> on four rows of eight); the gains then meet the PSNR floor
/// (<see cref="MinimumPsnr"/>) and the SSIM budget (<see cref="SsimBudget"/>), and flat areas' ±1 chips
/// are gathered into ±2 macroblocks (<see cref="FlatAreaConcentration"/>); pass 2 is the SIMD
/// <see cref="MarkAdd"/> kernel over every row, adding the same delta to R, G and B (a pure luma
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
    private const int P = ImageMarkLayout.Period;

    /// <param name="flatGain">The perceptual mask's gain on flat areas (<see cref="PerceptualMask.Gain"/>); by default
    /// the image's own by size (<see cref="PerceptualMask.FlatGainFor"/>: doubled under two periods a side).</param>
    /// <param name="gatherFlatChips">Whether flat areas' ±1 chips are gathered into ±2 macroblocks
    /// (<see cref="FlatAreaConcentration"/>); off only to measure what that step does.</param>
    public static void Embed(PixelBuffer image, MarkKey key, MarkPayload payload, double strength = DefaultStrength,
        VectorWidth width = VectorWidth.Auto, double? flatGain = null, bool gatherFlatChips = true)
    {
        ArgumentNullException.ThrowIfNull(key);
        Embed(image, new ImageMarkLayout(key), payload, strength, width, flatGain, gatherFlatChips);
    }

    /// <summary><see cref="Embed(PixelBuffer, MarkKey, MarkPayload, double, VectorWidth, double?, bool)"/> with the key's layout made beforehand.</summary>
    internal static void Embed(PixelBuffer image, ImageMarkLayout layout, MarkPayload payload, double strength = DefaultStrength,
        VectorWidth width = VectorWidth.Auto, double? flatGain = null, bool gatherFlatChips = true)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(layout);
        if (!(strength > 0 && strength <= 8)) throw new ArgumentOutOfRangeException(nameof(strength), "strength must be in (0, 8]");
        double flat = flatGain ?? PerceptualMask.FlatGainFor(image.Width, image.Height);
        if (!(flat >= 0 && flat <= PerceptualMask.TextureGain)) throw new ArgumentOutOfRangeException(nameof(flatGain), "flat gain must be in [0, 3.5]");

        sbyte[] chips = layout.ChipValues(PayloadCodec.Encode(payload));
        int bw = (image.Width + Block - 1) / Block, bh = (image.Height + Block - 1) / Block;
        byte[] blockGains = ArrayPool<byte>.Shared.Rent(bw * bh);
        try
        {
            PlanGains(image, strength, flat, gatherFlatChips, blockGains.AsSpan(0, bw * bh), width);
            AddTile(image, chips, blockGains.AsSpan(0, bw * bh), width);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(blockGains);
        }
    }

    /// <summary>Pass 1 and the budgets: one MarkAdd gain per 8 × 8 block (row-major, ⌈w / 8⌉ per row) into
    /// <paramref name="blockGains"/>.</summary>
    internal static void PlanGains(PixelBuffer image, double strength, double flat, bool gatherFlatChips, Span<byte> blockGains, VectorWidth width)
    {
        int bw = (image.Width + Block - 1) / Block, n = blockGains.Length;
        byte[] bins = ArrayPool<byte>.Shared.Rent(n);
        Span<byte> gainOfBin = stackalloc byte[256];
        try
        {
            PerceptualMask.BlockBins(image, Block, bins.AsSpan(0, n), width);
            ChooseGains(image, bins.AsSpan(0, n), bw, strength, flat, gainOfBin, width);
            for (int b = 0; b < n; b++) blockGains[b] = gainOfBin[bins[b]];
            using (BlockStatistics stats = BlockStatistics.Measure(image, Block, width))
                SsimBudget.Apply(stats, blockGains, bw, SsimBudget.MeanLoss, width);
            if (gatherFlatChips) FlatAreaConcentration.Apply(image, blockGains, bw);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bins);
        }
    }

    /// <summary>Pass 2: the tile is periodic and its four rows of a chip row are the same, and the gains change every
    /// 8 rows, so an image row's deltas (<see cref="MarkAdd.Deltas"/>, the widening multiply) are the same for the
    /// four rows of each chip row: they are made once per chip row, over ≤ 256-pixel segments against one cached tile
    /// row, and added to each of its rows in byte lanes (<see cref="MarkAdd.AddDeltas"/>; measured: the multiply on
    /// every row was 0.45-0.8 ms per MP). The gain row is rebuilt once per 8-row block with one broadcast store per block.</summary>
    internal static void AddTile(PixelBuffer image, sbyte[] chips, ReadOnlySpan<byte> blockGains, VectorWidth width)
    {
        int w = image.Width, h = image.Height, bands = image.Bands, colour = image.ColourBands, stride = image.Stride;
        int bw = (w + Block - 1) / Block;
        const int chip = ImageMarkLayout.Chip;
        int segmentPixels = Math.Min(w, P), segment = segmentPixels * bands, chipRowCount = (Math.Min(h, P) + chip - 1) / chip;
        int blockBytes = Block * bands;
        byte[] tileRows = ArrayPool<byte>.Shared.Rent(chipRowCount * segment + 16);
        byte[] gainRow = ArrayPool<byte>.Shared.Rent(bw * blockBytes + Vector256<byte>.Count);
        byte[] deltaRow = ArrayPool<byte>.Shared.Rent(stride);
        try
        {
            FillChipRows(chips, tileRows, chipRowCount, segmentPixels, bands, colour);
            ref byte g0 = ref gainRow[0];
            Span<byte> deltas = deltaRow.AsSpan(0, stride);
            for (int y = 0; y < h; y++)
            {
                if (y % Block == 0)
                {
                    int by = y / Block;
                    if (blockBytes <= Vector256<byte>.Count)
                        for (int bx = 0; bx < bw; bx++)
                            Vector256.Create(blockGains[by * bw + bx]).StoreUnsafe(ref g0, (nuint)(bx * blockBytes));
                    else
                        for (int bx = 0; bx < bw; bx++)
                            gainRow.AsSpan(bx * blockBytes, blockBytes).Fill(blockGains[by * bw + bx]);
                }
                if (y % chip == 0)
                {
                    ReadOnlySpan<byte> tileRow = tileRows.AsSpan((y % P) / chip * segment, segment);
                    for (int x0 = 0; x0 < w; x0 += P)
                    {
                        int len = Math.Min(P, w - x0) * bands;
                        MarkAdd.Deltas(tileRow[..len], gainRow.AsSpan(x0 * bands, len), deltas.Slice(x0 * bands, len), width);
                    }
                }
                MarkAdd.AddDeltas(image.Row(y), deltas, width);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(tileRows);
            ArrayPool<byte>.Shared.Return(gainRow);
            ArrayPool<byte>.Shared.Return(deltaRow);
        }
    }

    /// <summary>The tile's chip rows expanded to interleaved pixel rows of one period (±127 in colour samples, 0 in
    /// alpha), one per chip row: the deltas are made only on a chip row's first image row, so the other three rows of
    /// each chip row were never read. A chip's 4 pixels are at most 16 bytes, written as two ulongs of its value under
    /// the colour samples' byte mask (measured: a store per sample was two thirds of a 256 px embed's tile pass,
    /// 0.07-0.085 → 0.025 ms); a narrower chip's second word runs into the next chip, which is written after it, and
    /// the last one's into the 16 bytes of slack past the rows.</summary>
    private static void FillChipRows(sbyte[] chips, byte[] tileRows, int chipRows, int pixels, int bands, int colour)
    {
        int segment = pixels * bands;
        const int chip = ImageMarkLayout.Chip;
        int chipBytes = chip * bands;
        Span<byte> colourBytes = stackalloc byte[16];
        colourBytes.Clear();
        for (int i = 0; i < chipBytes; i++) colourBytes[i] = i % bands < colour ? (byte)0xFF : (byte)0;
        ulong maskLow = BitConverter.ToUInt64(colourBytes), maskHigh = BitConverter.ToUInt64(colourBytes[8..]);
        ref byte start = ref tileRows[0];
        for (int cy = 0; cy < chipRows; cy++)
        {
            int cRow = cy * ImageMarkLayout.ChipsPerSide, rowStart = cy * segment;
            for (int x0 = 0, c = 0; x0 < pixels; x0 += chip, c++)
            {
                ulong v = 0x0101010101010101UL * (byte)(sbyte)(chips[cRow + c] * 127);
                ref byte at = ref Unsafe.Add(ref start, rowStart + x0 * bands);
                Unsafe.WriteUnaligned(ref at, v & maskLow);
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, 8), v & maskHigh);
            }
        }
    }

    /// <summary>
    /// Gain per mask bin = round(2 · min(ceiling, amplitude)), where amplitude = strength · BaseAmplitude ·
    /// mask and the kernel adds ±round(127·gain/256) ≈ ±amplitude levels. The mask follows local activity
    /// (flat sky gets 0.35×, texture up to 3.5×). When the resulting mean squared delta would break
    /// <see cref="MinimumPsnr"/>, the ceiling comes down (bisection on the exact integer deltas, from a
    /// histogram of pixels per bin: 256 terms per step) instead of scaling the whole map: the budget is
    /// taken from the most textured blocks first. Those cost the most squared error and SSIM for the
    /// least evidence (the detector weighs each block by its own host level), while flat areas keep
    /// their ±1 level, on a text page the only clean evidence there is.
    /// </summary>
    /// <param name="counted">The image's headroom count made beforehand to any depth, in place of the one made here only
    /// where and as deep as a decision needs it: the tests' way to show that either gives the same gains.</param>
    internal static void ChooseGains(PixelBuffer image, ReadOnlySpan<byte> bins, int bw, double strength, double flatGain, Span<byte> gainOfBin,
        VectorWidth width = VectorWidth.Auto, HeadroomSamples? counted = null)
    {
        var samples = counted ?? HeadroomSamples.PixelsOnly(image, bins, bw, Block);
        double maxMse = 255.0 * 255.0 / Math.Pow(10, MinimumPsnr / 10);
        double scale = strength * BaseAmplitude;
        double ceiling = scale * PerceptualMask.TextureGain;
        // Each bin's own amplitude (scale × mask gain) is the same at every step of the bisection, and bins
        // holding no pixel add nothing: both are set aside once, so a step is a few dozen terms, not 256
        // mask gains (measured: 0.3 ms of a 256 px embed). The sum runs over the same bins in the same order.
        Span<double> own = stackalloc double[256];
        Span<byte> occupied = stackalloc byte[256];
        int used = 0;
        for (int bin = 0; bin < 256; bin++)
        {
            own[bin] = scale * PerceptualMask.GainOfBin(bin, flatGain);
            if (samples.Holds(bin)) occupied[used++] = (byte)bin;
        }
        occupied = occupied[..used];
        // The headroom count is made only where it can decide, and only as deep as a decision can reach. The error with
        // every sample in the open bounds the counted one from below and twice it from above (OpenMeanSquaredDelta).
        // When even the upper bound keeps the floor at the full ceiling (a third of the corpus: flat, dark and
        // transparent art), the count could not lower the ceiling and is left out: up to 1 MP it reads every pixel. Else
        // the bisection asks for the counted error only where the lower bound keeps the floor, under ceilings whose
        // deltas are at most those of the largest such ceiling; when those stay within 7 levels (8 for the step spent
        // after it), headroom 0-7 is all the count needs (half its class tests: text pages, most paintings).
        Span<byte> ownGain = stackalloc byte[256];
        OwnGains(own, occupied, ownGain);
        int depth = DepthNeeded(samples, ownGain, occupied, ceiling, maxMse) <= HeadroomSamples.HalfDepth
            ? HeadroomSamples.HalfDepth : HeadroomSamples.FullDepth;
        if (2 * samples.OpenMeanSquaredDeltaAtCap(GainOf(ceiling, double.PositiveInfinity), ownGain, occupied) > maxMse)
        {
            samples.CountClasses(image, bins, width, depth);
            ceiling = PsnrCeiling(samples, own, occupied, ceiling, maxMse);
        }
        for (int bin = 0; bin < 256; bin++) gainOfBin[bin] = GainOf(ceiling, own[bin]);
        // The deltas are whole levels, so the ceiling stops a step short of the budget (on a text page:
        // ±2 at 3.7 of 6.1 allowed, ±3 would be 6.7). Spend the rest one bin at a time, the least
        // textured capped bins first (the cleanest evidence and the least visible), one level up each.
        // The mean squared delta is summed when a bin first asks, over every bin in order as before: after a bisection
        // most images ask, under the full ceiling only a rounding tie does (so a skipped count stays skipped).
        int capped = (127 * GainOf(ceiling, own[255]) + 128) >> 8;
        double mse = double.NaN;
        for (int bin = 0; bin < 256; bin++)
        {
            byte g = gainOfBin[bin];
            if (((127 * g + 128) >> 8) != capped) continue;
            byte up = g;
            while (up < 255 && ((127 * up + 128) >> 8) == capped) up++;
            if (own[bin] * 2 < up - 0.5) continue;   // never above the mask's own amplitude
            if (double.IsNaN(mse))
            {
                samples.CountClasses(image, bins, width, depth);
                mse = 0;
                for (int b = 0; b < 256; b++) mse += samples.Share(b, gainOfBin[b]);
            }
            double next = mse - samples.Share(bin, g) + samples.Share(bin, up);
            if (next > maxMse) continue;
            gainOfBin[bin] = up;
            mse = next;
        }
    }

    /// <summary>
    /// The ceiling under which the planned gains keep the mean squared delta within <paramref name="maxMse"/>:
    /// <paramref name="ceiling"/> itself when it does, else 24 bisection steps from [0, ceiling] (the last that did).
    /// A bin's gain under ceiling c is round(2 · min(c, own)) = min(round(2c), round(2 · own)) (rounding is monotone),
    /// so the whole gain map, and with it the mean squared delta, is a function of the one byte round(2c): with
    /// <paramref name="reuse"/> each value is computed once and looked up when a later step falls on the same byte
    /// (the interval is under half a level after five or six steps, so the 25 sums take about eight distinct bytes).
    /// The steps, their midpoints and so the ceiling are the same doubles either way (<c>HeadroomSamplesTests</c>).
    /// </summary>
    internal static double PsnrCeiling(HeadroomSamples samples, ReadOnlySpan<double> own, ReadOnlySpan<byte> occupied, double ceiling,
        double maxMse, bool reuse = true)
    {
        Span<double> meanAtCap = stackalloc double[256];
        meanAtCap.Fill(double.NaN);
        Span<double> openAtCap = stackalloc double[256];
        openAtCap.Fill(double.NaN);
        Span<byte> ownGain = stackalloc byte[256];
        OwnGains(own, occupied, ownGain);
        var bounds = new OpenBounds(samples, ownGain, occupied, openAtCap);
        if (Keeps(ceiling, samples, own, occupied, maxMse, reuse ? meanAtCap : default, bounds)) return ceiling;
        double lo = 0, hi = ceiling;
        for (int step = 0; step < 24; step++)
        {
            double mid = 0.5 * (lo + hi);
            if (Keeps(mid, samples, own, occupied, maxMse, reuse ? meanAtCap : default, bounds)) lo = mid; else hi = mid;
        }
        return lo;
    }

    /// <summary>Each occupied bin's gain with no ceiling, GainOf(∞, own[b]): under a ceiling a bin's gain is the smaller of
    /// this and the ceiling's cap.</summary>
    internal static void OwnGains(ReadOnlySpan<double> own, ReadOnlySpan<byte> occupied, Span<byte> ownGain)
    {
        foreach (byte bin in occupied) ownGain[bin] = GainOf(double.PositiveInfinity, own[bin]);
    }

    /// <summary>The open error per rounded ceiling (<see cref="HeadroomSamples.OpenMeanSquaredDeltaAtCap"/>), each made
    /// once: the bisection's 25 steps fall on a few caps.</summary>
    private readonly ref struct OpenBounds(HeadroomSamples samples, ReadOnlySpan<byte> ownGain, ReadOnlySpan<byte> occupied, Span<double> atCap)
    {
        private readonly ReadOnlySpan<byte> _ownGain = ownGain, _occupied = occupied;
        private readonly Span<double> _atCap = atCap;

        public double At(double ceiling)
        {
            byte cap = GainOf(ceiling, double.PositiveInfinity);
            if (double.IsNaN(_atCap[cap])) _atCap[cap] = samples.OpenMeanSquaredDeltaAtCap(cap, _ownGain, _occupied);
            return _atCap[cap];
        }
    }

    /// <summary>Whether the gains under <paramref name="ceiling"/> keep the counted mean squared delta within
    /// <paramref name="maxMse"/>. An open error already over it answers no without the count, which is never below it
    /// (<see cref="HeadroomSamples.OpenMeanSquaredDelta"/>): the same answer, and the count is asked only for ceilings
    /// <see cref="DepthNeeded"/> covers.</summary>
    private static bool Keeps(double ceiling, HeadroomSamples samples, ReadOnlySpan<double> own, ReadOnlySpan<byte> occupied, double maxMse,
        Span<double> meanAtCap, OpenBounds bounds) =>
        bounds.At(ceiling) <= maxMse && MeanSquaredDeltaAt(ceiling, samples, own, occupied, meanAtCap) <= maxMse;

    /// <summary>
    /// The largest delta (in levels) <see cref="ChooseGains"/> can ask the headroom count about, from the pixel counts
    /// alone: the bisection asks for the counted error only under ceilings whose open error keeps the floor
    /// (<see cref="Keeps"/>), the final gains are under such a ceiling (or the full one, whose open error then keeps it
    /// too), and the spending after it asks one level above a capped bin's. The open error and every bin's delta grow
    /// with the rounded ceiling (the cap: <see cref="HeadroomSamples.OpenMeanSquaredDeltaAtCap"/>), so the answer is the
    /// largest delta under the largest cap up to the full ceiling's whose open error keeps the floor, plus one.
    /// </summary>
    internal static int DepthNeeded(HeadroomSamples samples, ReadOnlySpan<byte> ownGain, ReadOnlySpan<byte> occupied, double ceiling, double maxMse)
    {
        int top = GainOf(ceiling, double.PositiveInfinity), highest = 0, deepest = 0;
        foreach (byte bin in occupied) highest = Math.Max(highest, ownGain[bin]);
        for (int cap = 0; cap <= top; cap++)
        {
            if (samples.OpenMeanSquaredDeltaAtCap(cap, ownGain, occupied) > maxMse) break;
            // The largest delta under this cap: the largest gain is the smaller of the cap and the largest own gain.
            deepest = (127 * Math.Min(cap, highest) + 128) >> 8;
        }
        return deepest + 1;
    }

    /// <summary>The headroom count's mean squared delta under <paramref name="ceiling"/>, kept per rounded ceiling
    /// (<see cref="GainOf(double, double)"/> of an unbounded amplitude) in <paramref name="meanAtCap"/> (NaN: not yet computed;
    /// empty: nothing kept).</summary>
    private static double MeanSquaredDeltaAt(double ceiling, HeadroomSamples samples, ReadOnlySpan<double> own, ReadOnlySpan<byte> occupied,
        Span<double> meanAtCap)
    {
        if (meanAtCap.IsEmpty) return samples.MeanSquaredDelta(ceiling, own, occupied);
        byte cap = GainOf(ceiling, double.PositiveInfinity);
        double mean = meanAtCap[cap];
        if (double.IsNaN(mean)) meanAtCap[cap] = mean = samples.MeanSquaredDelta(ceiling, own, occupied);
        return mean;
    }

    /// <summary>MarkAdd's gain for a bin whose own amplitude is <paramref name="own"/> under the ceiling.</summary>
    internal static byte GainOf(double ceiling, double own) => (byte)Math.Clamp((int)Math.Round(2 * Math.Min(ceiling, own)), 0, 255);
}
