using LabelStamp.Media.Images;

namespace LabelStamp.Marks.Image;

/// <summary>
/// What the embedder's squared error will be for a choice of gains, before it embeds: per mask bin, the
/// share of colour samples at each headroom below white (255 − value, 0…15, or more): every pixel of an
/// image up to 1 MP (<see cref="CountEveryPixelUpTo"/>), above that four pixels of one row in every 8 × 8
/// block (a sixteenth of the pixels, scalar but cheap, and enough blocks to average over).
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

    /// <summary>Images up to this many pixels are counted whole: the sparse sample misjudged small text
    /// pages (measured 39.84 dB on a 256 px page against the 40.3 dB floor), and there the whole count costs
    /// less than the embed's self-check.</summary>
    public const int CountEveryPixelUpTo = 1 << 20;

    public HeadroomSamples(PixelBuffer image, ReadOnlySpan<byte> bins, int bw, int block)
    {
        int w = image.Width, h = image.Height, bands = image.Bands, colour = image.ColourBands;
        _area = (double)w * h;
        bool whole = _area <= CountEveryPixelUpTo;
        for (int i = 0; i < bins.Length; i++)
        {
            int bx = i % bw, by = i / bw, bin = bins[i];
            int x0 = bx * block, y0 = by * block, x1 = Math.Min(w, x0 + block), y1 = Math.Min(h, y0 + block);
            _pixels[bin] += (x1 - x0) * (y1 - y0);
            int firstRow = whole ? y0 : Math.Min(h - 1, y0 + block / 2 - 1), lastRow = whole ? y1 : firstRow + 1;
            for (int y = firstRow; y < lastRow; y++)
            {
                ReadOnlySpan<byte> row = image.Row(y);
                for (int x = whole ? x0 : x0 + 1; x < x1; x += whole ? 1 : 2)
                    for (int c = 0; c < colour; c++)
                        _counts[bin * Classes + Math.Min(Classes - 1, 255 - row[x * bands + c])]++;
            }
        }
    }

    /// <summary>The expected mean squared delta per colour sample when bin b gets gain
    /// <paramref name="gainOfBin"/>(b), the kernel's delta being d = round(±127 · gain / 256).</summary>
    public double MeanSquaredDelta(Func<int, byte> gainOfBin)
    {
        double sq = 0;
        for (int bin = 0; bin < 256; bin++) sq += SquaredDelta(bin, gainOfBin(bin));
        return sq / _area;
    }

    /// <summary>The expected sum of squared deltas over one bin's pixels at gain <paramref name="gain"/>,
    /// divided by the image area (the bin's share of the mean squared delta).</summary>
    public double Share(int bin, byte gain) => SquaredDelta(bin, gain) / _area;

    private double SquaredDelta(int bin, byte gain)
    {
        if (_pixels[bin] == 0) return 0;
        int d = (127 * gain + 128) >> 8;
        if (d == 0) return 0;
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
        return n == 0 ? (double)d * d * _pixels[bin] : e / n * _pixels[bin];
    }
}
