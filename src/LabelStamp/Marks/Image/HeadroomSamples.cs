using System.Buffers;
using LabelStamp.Kernels;
using LabelStamp.Media.Images;

namespace LabelStamp.Marks.Image;

/// <summary>
/// What the embedder's squared error will be for a choice of gains, before it embeds: per mask bin, the
/// share of colour samples at each headroom below white (255 − value, 0…15, or more): every pixel of an
/// image up to 1 MP (<see cref="CountEveryPixelUpTo"/>), above that four pixels of one row in every 8 × 8
/// block (a sixteenth of the pixels, and enough blocks to average over), both counted by the
/// <see cref="HeadroomClasses"/> kernel.
/// <para>
/// The kernel keeps the whole ±d chip near white by first lowering the sample to 255 − |d|
/// (<see cref="Kernels.MarkAdd"/>), so a sample with headroom h &lt; |d| moves by +h on a positive chip and
/// by −(2|d| − h) on a negative one: up to twice the squared error of a sample in the open. On a page of
/// text on white that doubled the error the gains were chosen for (measured 39.9 dB against a 40.3 dB
/// floor); counting the headroom makes the PSNR floor hold there too. Near black the clamp only
/// removes error, so it is left out (the estimate stays an upper bound there).
/// </para>
/// </summary>
internal sealed class HeadroomSamples
{
    private const int Classes = 17;   // headroom 0…15, and 16 or more (never clipped: |d| ≤ 16)
    private readonly long[] _counts = new long[256 * Classes];
    private readonly long[] _pixels = new long[256];
    private readonly double _area;

    // The last amplitude asked of each bin and its squared delta: the PSNR bisection asks all 256 bins at
    // every step, and most bins' amplitudes do not change between steps (those below the ceiling never do).
    private readonly int[] _lastAmplitude = new int[256];
    private readonly double[] _lastSquaredDelta = new double[256];

    /// <summary>Images up to this many pixels are counted whole: the sparse sample misjudged small text
    /// pages (measured 39.84 dB on a 256 px page against the 40.3 dB floor), and there the whole count costs
    /// less than the embed's self-check.</summary>
    public const int CountEveryPixelUpTo = 1 << 20;

    public HeadroomSamples(PixelBuffer image, ReadOnlySpan<byte> bins, int bw, int block, VectorWidth width = VectorWidth.Auto)
        : this(image, bins, bw, block, perSample: false, width)
    {
    }

    /// <param name="perSample">Whether every counted sample is classified one by one (the reference the kernel
    /// count is tested against) instead of by <see cref="HeadroomClasses"/>.</param>
    internal HeadroomSamples(PixelBuffer image, ReadOnlySpan<byte> bins, int bw, int block, bool perSample, VectorWidth width = VectorWidth.Auto)
    {
        int w = image.Width, h = image.Height, bands = image.Bands, colour = image.ColourBands;
        _area = (double)w * h;
        bool whole = _area <= CountEveryPixelUpTo;
        int bh = bins.Length / bw;
        for (int by = 0; by < bh; by++)
        {
            int y0 = by * block, y1 = Math.Min(h, y0 + block);
            ReadOnlySpan<byte> rowBins = bins.Slice(by * bw, bw);
            for (int bx = 0; bx < bw; bx++)
                _pixels[rowBins[bx]] += (Math.Min(w, bx * block + block) - bx * block) * (y1 - y0);
        }
        if (perSample) CountPerSample(image, bins, bw, block, whole);
        else CountByKernel(image, bins, bw, block, whole, width);
    }

    /// <summary>The rows counted for block row by: all of them up to 1 MP, above that its fourth row.</summary>
    private static (int First, int End) CountedRows(int by, int block, int h, bool whole)
    {
        int y0 = by * block, y1 = Math.Min(h, y0 + block);
        int first = whole ? y0 : Math.Min(h - 1, y0 + block / 2 - 1);
        return (first, whole ? y1 : first + 1);
    }

    /// <summary>One <see cref="HeadroomClasses"/> call per row of blocks over its counted rows (every colour sample
    /// up to 1 MP; above, every other pixel of one row, from each block's second pixel on), then per block the sum of
    /// its groups' class counts; the rest of its counted samples are open (16 or more below white). Groups with no
    /// sample at 240 or above, most of a photo, are flagged by the kernel and cost one add per block.</summary>
    private void CountByKernel(PixelBuffer image, ReadOnlySpan<byte> bins, int bw, int block, bool whole, VectorWidth width)
    {
        int w = image.Width, h = image.Height, bands = image.Bands, colour = image.ColourBands, stride = image.Stride;
        int groups = (stride + HeadroomClasses.Group - 1) / HeadroomClasses.Group, bh = bins.Length / bw;
        byte[] counted = ArrayPool<byte>.Shared.Rent(stride);
        ulong[] low = ArrayPool<ulong>.Shared.Rent(groups), high = ArrayPool<ulong>.Shared.Rent(groups);
        byte[] near = ArrayPool<byte>.Shared.Rent(groups);
        try
        {
            for (int x = 0; x < w; x++)
                for (int c = 0; c < bands; c++)
                    counted[x * bands + c] = c < colour && (whole || x % 2 == 1) ? (byte)0xFF : (byte)0;
            for (int by = 0; by < bh; by++)
            {
                var (first, end) = CountedRows(by, block, h, whole);
                int rows = end - first;
                bool any = HeadroomClasses.Count(image.Data.AsSpan(first * stride), stride, rows, stride, counted.AsSpan(0, stride),
                    low.AsSpan(0, groups), high.AsSpan(0, groups), near.AsSpan(0, groups), width);
                ReadOnlySpan<byte> rowBins = bins.Slice(by * bw, bw);
                for (int bx = 0; bx < bw; bx++)
                {
                    int x0 = bx * block, x1 = Math.Min(w, x0 + block);
                    long samples = (long)rows * (whole ? x1 - x0 : (x1 - x0) / 2) * colour;
                    Span<long> binCounts = _counts.AsSpan(rowBins[bx] * Classes, Classes);
                    int g0 = x0 * bands / HeadroomClasses.Group, g1 = (x1 * bands + HeadroomClasses.Group - 1) / HeadroomClasses.Group;
                    // The block's classes, bytewise: the sum of its near groups' packed counts (no byte carries).
                    ulong l = 0, u = 0;
                    if (any)
                        for (int g = g0; g < g1; g++)
                            if (near[g] != 0) { l += low[g]; u += high[g]; }
                    if (u == 0 && l <= 0xFF)
                    {
                        // Near samples all at 255 (a white background), or none: class 0 alone.
                        binCounts[0] += (long)l;
                        samples -= (long)l;
                    }
                    else
                        for (int k = 0; k < 8; k++)
                        {
                            long a = (long)(l >> (8 * k)) & 0xFF, b = (long)(u >> (8 * k)) & 0xFF;
                            binCounts[k] += a;
                            binCounts[8 + k] += b;
                            samples -= a + b;
                        }
                    binCounts[Classes - 1] += samples;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(counted);
            ArrayPool<ulong>.Shared.Return(low);
            ArrayPool<ulong>.Shared.Return(high);
            ArrayPool<byte>.Shared.Return(near);
        }
    }

    private void CountPerSample(PixelBuffer image, ReadOnlySpan<byte> bins, int bw, int block, bool whole)
    {
        int w = image.Width, h = image.Height, bands = image.Bands, colour = image.ColourBands, bh = bins.Length / bw;
        for (int by = 0; by < bh; by++)
        {
            var (first, end) = CountedRows(by, block, h, whole);
            ReadOnlySpan<byte> rowBins = bins.Slice(by * bw, bw);
            for (int y = first; y < end; y++)
            {
                ReadOnlySpan<byte> row = image.Row(y);
                for (int bx = 0; bx < bw; bx++)
                {
                    int x0 = bx * block, x1 = Math.Min(w, x0 + block);
                    Span<long> binCounts = _counts.AsSpan(rowBins[bx] * Classes, Classes);
                    for (int x = whole ? x0 : x0 + 1; x < x1; x += whole ? 1 : 2)
                        for (int c = 0; c < colour; c++)
                            binCounts[Math.Min(Classes - 1, 255 - row[x * bands + c])]++;
                }
            }
        }
    }

    /// <summary>The per-bin, per-headroom-class sample counts (256 × 17, bin-major).</summary>
    internal ReadOnlySpan<long> Counts => _counts;

    /// <summary>The expected mean squared delta per colour sample when bin b gets gain
    /// <paramref name="gainOfBin"/>(b), the kernel's delta being d = round(±127 · gain / 256).</summary>
    public double MeanSquaredDelta(Func<int, byte> gainOfBin)
    {
        double sq = 0;
        for (int bin = 0; bin < 256; bin++) sq += SquaredDelta(bin, gainOfBin(bin));
        return sq / _area;
    }

    /// <summary><see cref="MeanSquaredDelta(Func{int, byte})"/> for the embedder's gains under a ceiling
    /// (<see cref="ImageMarkEmbedder.GainOf(double, double)"/> of each bin's own amplitude), summed over the bins that
    /// hold pixels (<paramref name="occupied"/>, ascending): the others add exactly 0, so the sum is the same double.</summary>
    public double MeanSquaredDelta(double ceiling, ReadOnlySpan<double> own, ReadOnlySpan<byte> occupied)
    {
        double sq = 0;
        foreach (byte bin in occupied) sq += SquaredDelta(bin, ImageMarkEmbedder.GainOf(ceiling, own[bin]));
        return sq / _area;
    }

    /// <summary>Whether any pixel of the image is in mask bin b.</summary>
    public bool Holds(int bin) => _pixels[bin] != 0;

    /// <summary>The expected sum of squared deltas over one bin's pixels at gain <paramref name="gain"/>,
    /// divided by the image area (the bin's share of the mean squared delta).</summary>
    public double Share(int bin, byte gain) => SquaredDelta(bin, gain) / _area;

    private double SquaredDelta(int bin, byte gain)
    {
        if (_pixels[bin] == 0) return 0;
        int d = (127 * gain + 128) >> 8;
        if (d == 0) return 0;
        if (_lastAmplitude[bin] == d) return _lastSquaredDelta[bin];
        long n = 0;
        double e = 0;
        for (int k = 0; k < Classes; k++)
        {
            long c = _counts[bin * Classes + k];
            if (c == 0) continue;
            n += c;
            // Open samples move by ±d; near white by +k or −(2d − k), each half the time.
            e += c * (k >= d ? (double)d * d : 0.5 * ((double)k * k + (2.0 * d - k) * (2.0 * d - k)));
        }
        double squared = n == 0 ? (double)d * d * _pixels[bin] : e / n * _pixels[bin];
        _lastAmplitude[bin] = d;
        _lastSquaredDelta[bin] = squared;
        return squared;
    }
}
