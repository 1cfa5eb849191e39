using LabelStamp.Media.Images;

namespace LabelStamp.Marks.Image;

/// <summary>
/// What the embedder's squared error will be for a choice of gains, before it embeds: per mask bin, the
/// share of colour samples at each headroom below white (255 − value, 0…15, or more), sampled at four
/// pixels of one row in every 8 × 8 block (a sixteenth of the pixels, scalar but cheap).
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

    public HeadroomSamples(PixelBuffer image, ReadOnlySpan<byte> bins, int bw, int block)
    {
        int w = image.Width, h = image.Height, bands = image.Bands, colour = image.ColourBands;
        _area = (double)w * h;
        for (int i = 0; i < bins.Length; i++)
        {
            int bx = i % bw, by = i / bw, bin = bins[i];
            int x0 = bx * block, y0 = by * block;
            _pixels[bin] += (Math.Min(w, x0 + block) - x0) * (Math.Min(h, y0 + block) - y0);
            ReadOnlySpan<byte> row = image.Row(Math.Min(h - 1, y0 + block / 2 - 1));
            for (int x = x0 + 1; x < Math.Min(w, x0 + block); x += 2)
                for (int c = 0; c < colour; c++)
                    _counts[bin * Classes + Math.Min(Classes - 1, 255 - row[x * bands + c])]++;
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
